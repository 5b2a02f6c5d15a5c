using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using F5Parity.Errors;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// The text front end against upstream's own outputs: jieba segments, <c>convert_char_to_pinyin</c> tokens,
/// <c>list_str_to_idx</c> ids and out-of-vocabulary tokens for every sentence of common/text_tokens.json and
/// common/text_ids.safetensors, and the text ids each sampling path stored per case (trainer log-sample,
/// infer_process, CFM.sample, DiT forward).
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class TextParityTests
{
    /// <summary>Token ids are integers: a port either gives upstream's ids or it does not.</summary>
    static readonly Tolerance Ids = Tolerance.Exact("token ids are integers; any difference is a different token");

    const string TokensFile = "common/text_tokens.json";
    const string IdsFile = "common/text_ids.safetensors";
    const string Module = "text";

    static readonly Lazy<JsonObject> TokensJson = new(() =>
        JsonNode.Parse(File.ReadAllText(ReferenceSet.Current.PathOf(TokensFile))) as JsonObject
        ?? throw new InvalidDataException($"{TokensFile} is not a JSON object"));

    static readonly Lazy<Vocab> ReferenceVocab = new(() => Vocab.Load(ReferenceSet.Current.VocabPath));

    /// <summary>User-supplied pinyin for the reference sentences with Chinese (citation tones; sandhi is the port's).</summary>
    static readonly Lazy<PinyinTable> FixtureTable = new(() =>
        PinyinTable.Load(Path.Combine(RepoPaths.Fixtures, "text", "pinyin_table_minimal.tsv")));

    /// <summary>Theory rows: the sentence names of common/text_tokens.json.</summary>
    public static TheoryData<string> Sentences()
    {
        var data = new TheoryData<string>();
        foreach (var kv in TokensJson.Value) data.Add(kv.Key);
        return data;
    }

    /// <summary>Theory rows: (case, file) for every sample_infer_*.safetensors of every case.</summary>
    public static TheoryData<string, string> InferFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ReferenceSet.Current.Cases)
            foreach (var f in Directory.GetFiles(c.Folder, "sample_infer_*.safetensors").OrderBy(f => f, StringComparer.Ordinal))
                data.Add(c.Name, Path.GetFileName(f));
        return data;
    }

    /// <summary>Theory rows: (case, file) for the trainer-path captures (replayed and real log-sample calls).</summary>
    public static TheoryData<string, string> TrainerFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ReferenceSet.Current.Cases)
            foreach (var f in new[] { "sample_trainer_style.safetensors", "trainer_run/logsample_capture.safetensors" })
                if (c.Has(f)) data.Add(c.Name, f);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Jieba_segments_equal_upstream(string sentence)
    {
        var s = Sentence(sentence);
        var segments = JiebaCut.Cut(CharToPinyin.CustomTranslate(s.Text));
        segments.Should().Equal(Strings(s.Json["jieba_segments_after_custom_trans"]), $"jieba segments of '{sentence}'");
    }

    [SkippableTheory]
    [MemberData(nameof(Sentences))]
    public void Convert_char_to_pinyin_equals_upstream(string sentence)
    {
        var s = Sentence(sentence);
        var tokens = ConvertLikeUpstream(s.Text);
        tokens.Should().Equal(Strings(s.Json["convert_char_to_pinyin"]), $"convert_char_to_pinyin of '{sentence}'");
        string.Concat(tokens).Should().Be(s.Json["convert_char_to_pinyin_joined"]!.GetValue<string>());
    }

    [SkippableTheory]
    [MemberData(nameof(Sentences))]
    public void Ids_with_pinyin_equal_upstream(string sentence)
    {
        var s = Sentence(sentence);
        using var ids = TextTokenizer.ListStrToIdx([ConvertLikeUpstream(s.Text)], ReferenceVocab.Value);
        TensorAssert.Equal(ids[0], ReferenceSet.Current.Tensors(IdsFile)[$"{sentence}__ids_with_pinyin"], Module, $"text/{sentence}/ids_with_pinyin");
        ids[0].data<long>().ToArray().Should().Equal(Longs(s.Json["ids_with_pinyin"]));
    }

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Ids_of_raw_chars_equal_upstream(string sentence)
    {
        var s = Sentence(sentence);
        using var ids = TextTokenizer.ListStrToIdx([s.Text], ReferenceVocab.Value);
        TensorAssert.Equal(ids[0], ReferenceSet.Current.Tensors(IdsFile)[$"{sentence}__ids_raw_chars"], Module, $"text/{sentence}/ids_raw_chars");
        ids[0].data<long>().ToArray().Should().Equal(Longs(s.Json["ids_raw_chars"]));
    }

    [SkippableTheory]
    [MemberData(nameof(Sentences))]
    public void Out_of_vocab_tokens_equal_upstream(string sentence)
    {
        var s = Sentence(sentence);
        var vocab = ReferenceVocab.Value;
        vocab.UnknownTokens(ConvertLikeUpstream(s.Text)).Should()
            .BeEquivalentTo(Strings(s.Json["tokens_not_in_vocab_with_pinyin"]), "tokens of the converter output missing from vocab.txt");
        vocab.UnknownTokens(s.Text).Should()
            .BeEquivalentTo(Strings(s.Json["chars_not_in_vocab_raw"]), "characters of the raw text missing from vocab.txt");
    }

    [SkippableFact]
    public void Chinese_without_a_pinyin_table_raises_naming_the_character()
    {
        var withChinese = TokensJson.Value
            .Select(kv => (Name: kv.Key, Text: kv.Value!["text"]!.GetValue<string>()))
            .Select(s => (s.Name, s.Text, First: PythonStr.CodePoints(s.Text).FirstOrDefault(c => CharToPinyin.IsChinese(c) && CharToPinyin.IsPypinyinHan(c))))
            .Where(s => s.First != null)
            .ToList();
        Skip.If(withChinese.Count == 0, $"no sentence of {TokensFile} has Chinese characters");
        foreach (var (name, text, first) in withChinese)
        {
            var act = () => CharToPinyin.Convert([text]);
            act.Should().Throw<TextInputException>($"'{name}' has {first} and no table was given")
                .Which.Fault.Should().Contain($"'{first}'");
        }
    }

    [SkippableFact]
    public void Batch_padding_ids_equal_upstream()
    {
        var texts = ManifestArguments(IdsFile, "batch2_padding__ids", @"pin\('((?:[^'\\]|\\.)*)'\)");
        using var ids = TextTokenizer.ListStrToIdx(texts.Select(t => (IReadOnlyList<string>)ConvertLikeUpstream(t)).ToList(), ReferenceVocab.Value);
        TensorAssert.Equal(ids, ReferenceSet.Current.Tensors(IdsFile)["batch2_padding__ids"], Module, "text/batch2_padding__ids");
    }

    [Theory]
    [MemberData(nameof(TrainerFiles))]
    public void Trainer_log_sample_text_ids_equal_upstream(string caseName, string file)
    {
        // trainer.py:410-412: text_inputs[0] + [" "] + text_inputs[0]; the dataset row holds the converter's output.
        var c = ReferenceSet.Current.Case(caseName);
        var tokens = ConvertLikeUpstream(ReferenceSet.Current.Transcript);
        var text = tokens.Append(" ").Concat(tokens).ToList();
        var stored = c.Set.Metadata(Path.Combine(caseName, file));
        if (stored.TryGetValue("text_tokens", out var json))
            text.Should().Equal(JsonSerializer.Deserialize<List<List<string>>>(json)!.Single(), $"{caseName}/{file} text_tokens");
        using var ids = TextTokenizer.ListStrToIdx([text], ReferenceVocab.Value);
        var t = c.Tensors(file);
        TensorAssert.Equal(ids, t["text_ids"], Module, $"text/{caseName}/{file}/text_ids");
        if (t.TryGetValue("first_step_text", out var firstStep))
            TensorAssert.Equal(ids, firstStep, Module, $"text/{caseName}/{file}/first_step_text");
    }

    [Theory]
    [MemberData(nameof(InferFiles))]
    public void Infer_process_text_ids_equal_upstream(string caseName, string file)
    {
        // utils_infer.py:474-484: ref_text + " " when its last character is one UTF-8 byte, + gen_text, converted.
        var c = ReferenceSet.Current.Case(caseName);
        var meta = c.Set.Metadata(Path.Combine(caseName, file));
        string refText = meta["ref_text_passed"], genText = ReferenceSet.Current.Transcript;
        var last = PythonStr.CodePoints(refText)[^1];
        if (PythonStr.Utf8Length(last) == 1) refText += " ";
        var text = ConvertLikeUpstream(refText + genText);
        if (meta.TryGetValue("text_tokens", out var json))
            text.Should().Equal(JsonSerializer.Deserialize<List<List<string>>>(json)!.Single(), $"{caseName}/{file} text_tokens");
        using var ids = TextTokenizer.ListStrToIdx([text], ReferenceVocab.Value);
        TensorAssert.Equal(ids, c.Tensors(file)["text_ids"], Module, $"text/{caseName}/{file}/text_ids");
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Cfm_sample_fixed_text_ids_equal_upstream(string caseName)
    {
        // list_str_to_idx(convert_char_to_pinyin([T + ' ' + T])) with T the transcript.
        var c = ReferenceSet.Current.Case(caseName);
        string transcript = ReferenceSet.Current.Transcript;
        using var ids = TextTokenizer.ListStrToIdx([ConvertLikeUpstream(transcript + " " + transcript)], ReferenceVocab.Value);
        TensorAssert.Equal(ids, c.Tensors("cfm_sample_fixed.safetensors")["text_ids"], Module, $"text/{caseName}/cfm_sample_fixed/text_ids");
    }

    [SkippableTheory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Dit_forward_text_ids_equal_upstream(string caseName)
    {
        string file = $"{caseName}/dit_forward.safetensors";
        var text = ManifestArguments(file, "text", @"convert_char_to_pinyin\(\['((?:[^'\\]|\\.)*)'\]\)").Single();
        using var ids = TextTokenizer.ListStrToIdx([ConvertLikeUpstream(text)], ReferenceVocab.Value);
        TensorAssert.Equal(ids, ReferenceSet.Current.Tensors(file)["text"], Module, $"text/{caseName}/dit_forward/text");
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Vocab_size_is_the_text_num_embeds_the_case_was_built_with(string caseName)
    {
        var vocab = Vocab.Load(ReferenceSet.Current.VocabPath, requireSpaceAtZero: true);
        vocab.Size.Should().Be(ReferenceSet.Current.Case(caseName).Config.TextNumEmbeds);
        vocab.IdOf(" ").Should().Be(0);
    }

    /// <summary>
    /// The converter as upstream ran it. Sentences with Chinese use the fixture pinyin table (after checking that the
    /// converter refuses them without one); a reference set with characters the fixture lacks skips, naming them.
    /// </summary>
    static List<string> ConvertLikeUpstream(string text)
    {
        try { return CharToPinyin.Convert([text])[0]; }
        catch (TextInputException e) when (e.Fault.Contains("no pinyin table", StringComparison.Ordinal))
        {
            try { return CharToPinyin.Convert([text], FixtureTable.Value)[0]; }
            catch (TextInputException missing) when (missing.Fault.Contains("no entry in the pinyin table", StringComparison.Ordinal))
            {
                throw new SkipException($"fixtures/text/pinyin_table_minimal.tsv does not cover this text: {missing.Fault}");
            }
        }
    }

    static (string Text, JsonNode Json) Sentence(string name)
    {
        var node = TokensJson.Value[name] ?? throw new KeyNotFoundException($"{TokensFile} has no sentence '{name}'");
        return (node["text"]!.GetValue<string>(), node);
    }

    static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToList();
    static List<long> Longs(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<long>()).ToList();

    /// <summary>
    /// The Python string literals in MANIFEST.md's "how produced" cell of one tensor (the inputs the reference was made
    /// from, where no JSON holds them); skips when the manifest or the row is absent.
    /// </summary>
    static List<string> ManifestArguments(string file, string tensor, string pattern)
    {
        string path = ReferenceSet.Current.PathOf("MANIFEST.md");
        Skip.IfNot(File.Exists(path), $"{path} not found: the inputs of {file}:{tensor} are only described there");
        var lines = File.ReadAllLines(path);
        int section = Array.FindIndex(lines, l => l.StartsWith($"### `{file}`", StringComparison.Ordinal));
        Skip.If(section < 0, $"MANIFEST.md has no section for {file}");
        var row = lines.Skip(section + 1).TakeWhile(l => !l.StartsWith("### ", StringComparison.Ordinal))
            .FirstOrDefault(l => l.StartsWith($"| `{tensor}` |", StringComparison.Ordinal));
        Skip.If(row is null, $"MANIFEST.md has no row for {file}:{tensor}");
        var found = Regex.Matches(row!.Replace("\\|", "|"), pattern).Select(m => Regex.Unescape(m.Groups[1].Value)).ToList();
        Skip.If(found.Count == 0, $"MANIFEST.md row {file}:{tensor} names no input text");
        return found;
    }
}
