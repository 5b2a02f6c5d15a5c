using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Parity;

/// <summary>
/// The full-size forward at N = 940 (plain and packed CFG; about half a minute per call on 2 cores), kept out of
/// <c>Category=Parity</c> and, like the fixture regenerations, opt-in: <c>F5PARITY_SLOW=1 dotnet test … --filter
/// Category=ParityLong</c>. N = 256, the sample and its trajectory run in every tier.
/// </summary>
[Trait(Categories.Key, Categories.ParityLong)]
public sealed class FullSizeLongParityTests(SeededModels models) : IClassFixture<SeededModels>
{
    public static TheoryData<string> Cases() => SeededReferenceSet.CaseNames();

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Forward_at_N940_equals_upstream_plain_and_packed(string caseName)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("F5PARITY_SLOW") == "1", "set F5PARITY_SLOW=1 to run the full-size N = 940 forwards (minutes on 2 cores)");
        FullSizeParityTests.AssertForward(models, caseName, "N940");
    }
}
