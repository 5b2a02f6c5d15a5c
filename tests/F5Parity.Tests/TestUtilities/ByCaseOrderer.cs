using Xunit.Abstractions;
using Xunit.Sdk;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Runs a test class's theory rows grouped by their first argument (the case name), so a fixture that holds one
/// case's model at a time (<see cref="SeededModels"/>) builds each model once.
/// </summary>
public sealed class ByCaseOrderer : ITestCaseOrderer
{
    public const string TypeName = "F5Parity.Tests.TestUtilities.ByCaseOrderer";
    public const string Assembly = "F5Parity.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethodArguments?.FirstOrDefault()?.ToString() ?? "", StringComparer.Ordinal)
            .ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
