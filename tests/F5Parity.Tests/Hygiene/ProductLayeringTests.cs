using System.Xml.Linq;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Hygiene;

/// <summary>
/// tests/F5Parity.TestSupport (the trainer, the fixture recipes, the ggml whisper writer) is for the tests and
/// fixture-making only: the product — the library and the diagnosis CLI — neither references it nor holds its types.
/// </summary>
public sealed class ProductLayeringTests
{
    const string TestSupport = "F5Parity.TestSupport";

    static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(Path.Combine(RepoPaths.Root, "tests", project, project + ".csproj"))
            .Descendants("ProjectReference").Select(e => Path.GetFileNameWithoutExtension((string)e.Attribute("Include")!));

    [Theory]
    [InlineData("F5Parity")]
    [InlineData("F5Parity.Diagnose")]
    public void Product_project_does_not_reference_the_test_support(string project) =>
        ProjectReferences(project).Should().NotContain(TestSupport);

    [Fact]
    public void Fixture_maker_and_tests_reference_it()
    {
        ProjectReferences("F5Parity.FixtureMaker").Should().Contain(TestSupport);
        ProjectReferences("F5Parity.Tests").Should().Contain(TestSupport);
    }

    [Fact]
    public void The_product_library_holds_no_trainer_recipe_or_model_writer()
    {
        var product = typeof(F5Parity.Model.CFM).Assembly;
        product.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain(TestSupport);
        var support = typeof(F5Parity.Training.FlowMatchingTrainer).Assembly;
        support.GetName().Name.Should().Be(TestSupport);
        foreach (var type in new[] { typeof(F5Parity.Training.Ema), typeof(F5Parity.Fixtures.ModelFixtureRecipe),
                     typeof(F5Parity.Fixtures.ConfigFaultRecipe), typeof(F5Parity.Fixtures.CodebookCorpus), typeof(F5Parity.Asr.GgmlWhisperModelWriter) })
            type.Assembly.Should().BeSameAs(support, type.Name);
        typeof(F5Parity.Fixtures.CodebookFixture).Assembly.Should().BeSameAs(product, "the diagnosis reads what the fixtures are");
    }
}
