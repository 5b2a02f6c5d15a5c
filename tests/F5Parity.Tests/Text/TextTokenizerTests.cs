using F5Parity.Errors;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Tests.Text;

/// <summary><see cref="TextTokenizer.ListStrToIdx(IReadOnlyList{IReadOnlyList{string}}, Vocab)"/> as upstream's list_str_to_idx.</summary>
public sealed class TextTokenizerTests
{
    static readonly Vocab V = Vocab.Parse("test-vocab", " \na\nb\n😀\nni2\n"u8);

    [Fact]
    public void Rows_are_padded_with_minus_one_to_the_longest()
    {
        using var ids = TextTokenizer.ListStrToIdx([["a", "b", "ni2", "zz"], ["b"], ["a", " "]], V);
        ids.dtype.Should().Be(ScalarType.Int64);
        ids.shape.Should().Equal(3, 4);
        ids.data<long>().ToArray().Should().Equal(1, 2, 4, 0, 2, -1, -1, -1, 1, 0, -1, -1);
    }

    [Fact]
    public void A_string_is_iterated_by_code_point_so_a_surrogate_pair_is_one_token()
    {
        using var ids = TextTokenizer.ListStrToIdx(["a😀b"], V);
        ids.shape.Should().Equal(1, 3);
        ids.data<long>().ToArray().Should().Equal(1, 3, 2);
    }

    [Fact]
    public void A_lone_surrogate_is_its_own_unknown_token_as_in_python()
    {
        using var ids = TextTokenizer.ListStrToIdx(["a\uD83Db"], V);
        ids.data<long>().ToArray().Should().Equal(1, 0, 2);
    }

    [Fact]
    public void An_empty_row_after_the_first_is_all_padding()
    {
        using var ids = TextTokenizer.ListStrToIdx(["ab", ""], V);
        ids.data<long>().ToArray().Should().Equal(1, 2, -1, -1);
    }

    [Fact]
    public void An_empty_first_row_or_batch_raises_instead_of_giving_float_ids()
    {
        var first = () => TextTokenizer.ListStrToIdx(["", "ab"], V);
        first.Should().Throw<TextInputException>().Which.Source.Should().Contain("text[0]");
        var none = () => TextTokenizer.ListStrToIdx(Array.Empty<string>(), V);
        none.Should().Throw<TextInputException>();
    }
}
