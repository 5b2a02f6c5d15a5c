using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// docs/report-schema.json against docs/report-schema.md (they must name the same fields) and the validator that
/// checks every report.json the tests write against it: it must accept a real report and reject one with a required
/// field missing, a wrong type or a value outside an enumeration.
/// </summary>
public sealed class ReportSchemaTests
{
    public static JsonObject Schema => JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "report-schema.json")))!.AsObject();
    static string Doc => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "report-schema.md"));

    /// <summary>The violations of docs/report-schema.json by <paramref name="report"/>.</summary>
    public static IReadOnlyList<string> Violations(JsonNode? report) => JsonSchemaSubset.Validate(report, Schema);

    /// <summary>The lines of the md's report.json outline (its ```text block).</summary>
    static string[] Outline()
    {
        var m = Regex.Match(Doc, @"## `report.json`\s*```text\n(.*?)```", RegexOptions.Singleline);
        m.Success.Should().BeTrue("docs/report-schema.md outlines report.json in a text block");
        return m.Groups[1].Value.Split('\n');
    }

    static JsonObject Properties(JsonObject schema, string field)
    {
        var node = Schema["properties"]![field]!.AsObject();
        if (node["items"] is JsonObject items) node = items;
        if (node["$ref"] is JsonValue r) node = Schema["$defs"]![r.GetValue<string>()["#/$defs/".Length..]]!.AsObject();
        return node["properties"]?.AsObject() ?? [];
    }

    [Fact]
    public void The_schema_doc_and_the_json_schema_name_the_same_fields()
    {
        var schema = Schema;
        var top = new List<string>();
        var nested = new Dictionary<string, List<string>>();
        foreach (var line in Outline().Where(l => l.Trim().Length > 0))
        {
            if (!char.IsWhiteSpace(line[0])) { top.Add(Regex.Match(line, @"^([A-Za-z_0-9]+)").Groups[1].Value); nested[top[^1]] = []; continue; }
            var sub = Regex.Match(line, @"^  (\S.*?)(\s{2,}|\s*[({]|$)");
            if (!sub.Success) continue; // a continuation line (deeper indent)
            nested[top[^1]].AddRange(sub.Groups[1].Value.Split(',').Select(n => n.Trim().TrimEnd('[', ']')));
        }
        top.Should().BeEquivalentTo(schema["properties"]!.AsObject().Select(p => p.Key), "top-level fields of the md outline vs report-schema.json");
        foreach (var (field, names) in nested.Where(n => n.Value.Count > 0))
            Properties(schema, field).Select(p => p.Key).Should().Contain(names, $"the md lists these fields of '{field}'");

        // the prose paragraphs: every field the schema gives a Run object and a spec is documented there
        foreach (var (paragraph, def) in new[] { ("A **Run** object:", "run"), ("A **spec**:", "spec") })
        {
            int at = Doc.IndexOf(paragraph, StringComparison.Ordinal);
            at.Should().BeGreaterThan(0, paragraph);
            string text = Doc[at..Doc.IndexOf("\n\n", at, StringComparison.Ordinal)];
            var documented = Regex.Matches(text, @"`([a-z_]+)(\[\])?`").Select(m => m.Groups[1].Value).ToHashSet();
            Schema["$defs"]![def]!["properties"]!.AsObject().Select(p => p.Key).Should().BeSubsetOf(documented, $"the md's {def} paragraph");
        }
        Regex.Match(Doc, @"^# Report bundle schema \(`([^`]+)`\)", RegexOptions.Multiline).Groups[1].Value
            .Should().Be(schema["$id"]!.GetValue<string>()).And.Be(schema["properties"]!["schema"]!["enum"]![0]!.GetValue<string>());
    }

    [Fact]
    public void The_validator_accepts_a_real_report_and_rejects_a_missing_field_a_wrong_type_and_a_bad_value()
    {
        var report = ReportJson.ToJson(DiagnosisSession.Report, ReportJson.FileHashes(DiagnosisSession.Report));
        Violations(report).Should().BeEmpty();

        var missing = report.DeepClone().AsObject();
        missing.Remove("verdict");
        Violations(missing).Should().ContainSingle().Which.Should().Be("$: missing required field 'verdict'");

        var wrongType = report.DeepClone().AsObject();
        wrongType["seconds"] = "twelve";
        Violations(wrongType).Should().ContainSingle().Which.Should().Be("$.seconds: expected number or null, got string");

        var nested = report.DeepClone().AsObject();
        nested["paths"]!["infer"]!["spec"]!["weights"] = 1;
        nested["hypotheses"]![0]!["outcome"] = "maybe";
        nested["ladder"]![0]!.AsObject().Remove("changed");
        Violations(nested).Should().BeEquivalentTo(
            "$.paths.infer.spec.weights: 1 is not one of [\"raw\",\"ema\"]",
            "$.hypotheses[0].outcome: \"maybe\" is not one of [\"implicated\",\"weakens\",\"not-implicated\",\"no-effect\",\"inconclusive\",\"unmeasured\",\"error\",\"not-run\"]",
            "$.ladder[0]: missing required field 'changed'");
    }

    [Fact]
    public void A_schema_keyword_outside_the_subset_is_refused_not_ignored()
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = 3 };
        var act = () => JsonSchemaSubset.Validate(JsonValue.Create(1), schema);
        act.Should().Throw<NotSupportedException>().WithMessage("*minimum*");
    }
}
