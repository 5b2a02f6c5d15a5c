namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Test categories (xunit traits). <c>dotnet test F5Parity.Tests.sln --filter Category=Parity</c> selects exactly the
/// tests that compare the port with a reference folder (<see cref="ReferenceSet.Current"/>, which
/// <c>F5PARITY_REFERENCE_DIR</c> may point at a user's own folder); nothing else reads that folder.
/// </summary>
public static class Categories
{
    public const string Key = "Category";

    /// <summary>Port vs upstream reference outputs: the classes under Parity/.</summary>
    public const string Parity = "Parity";

    /// <summary>Full-size parity at N = 940 (about half a minute per forward on 2 cores): run with --filter Category=ParityLong.</summary>
    public const string ParityLong = "ParityLong";
}
