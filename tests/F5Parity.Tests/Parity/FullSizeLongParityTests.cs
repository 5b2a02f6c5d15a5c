using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Parity;

/// <summary>
/// The full-size forward at N = 940 (plain and packed CFG; about half a minute per call on 2 cores), kept out of
/// <c>Category=Parity</c>: run it with <c>--filter Category=ParityLong</c>.
/// </summary>
[Trait(Categories.Key, Categories.ParityLong)]
public sealed class FullSizeLongParityTests(SeededModels models) : IClassFixture<SeededModels>
{
    public static TheoryData<string> Cases() => SeededReferenceSet.CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_at_N940_equals_upstream_plain_and_packed(string caseName) =>
        FullSizeParityTests.AssertForward(models, caseName, "N940");
}
