using System.Text.Json;
using System.Text.Json.Nodes;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// A validator for the part of JSON Schema that docs/report-schema.json uses: <c>type</c> (one name or a list;
/// "number" admits integers), <c>required</c>, <c>properties</c>, <c>additionalProperties</c> (false or a schema),
/// <c>items</c>, <c>enum</c>, and <c>$ref</c> to <c>#/$defs/…</c>. Any other keyword in a schema is an error, so the
/// schema cannot say something this validator silently ignores.
/// </summary>
public static class JsonSchemaSubset
{
    static readonly HashSet<string> Keywords =
        ["$schema", "$id", "title", "description", "$defs", "type", "required", "properties", "additionalProperties", "items", "enum", "$ref"];

    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="instance"/>, each as "path: fault"; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonNode? instance, JsonObject schema)
    {
        var errors = new List<string>();
        Check(instance, schema, schema, "$", errors);
        return errors;
    }

    static void Check(JsonNode? node, JsonObject schema, JsonObject root, string path, List<string> errors)
    {
        foreach (var (key, _) in schema)
            if (!Keywords.Contains(key)) throw new NotSupportedException($"schema keyword '{key}' at {path} is not in the supported subset");
        if (schema["$ref"] is JsonValue r)
        {
            string reference = r.GetValue<string>();
            const string defs = "#/$defs/";
            if (!reference.StartsWith(defs, StringComparison.Ordinal) || root["$defs"]?[reference[defs.Length..]] is not JsonObject target)
                throw new NotSupportedException($"unresolvable $ref '{reference}' at {path}");
            Check(node, target, root, path, errors);
            return;
        }
        string kind = Kind(node);
        if (schema["type"] is JsonNode type)
        {
            var allowed = type is JsonArray a ? a.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Contains(kind) && !(kind == "integer" && allowed.Contains("number")))
            {
                errors.Add($"{path}: expected {string.Join(" or ", allowed)}, got {kind}");
                return;
            }
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, node)))
            errors.Add($"{path}: {node?.ToJsonString() ?? "null"} is not one of {values.ToJsonString()}");
        if (node is JsonObject obj) CheckObject(obj, schema, root, path, errors);
        if (node is JsonArray array && schema["items"] is JsonObject items)
            for (int i = 0; i < array.Count; i++) Check(array[i], items, root, $"{path}[{i}]", errors);
    }

    static void CheckObject(JsonObject obj, JsonObject schema, JsonObject root, string path, List<string> errors)
    {
        if (schema["required"] is JsonArray required)
            foreach (var name in required.Select(n => n!.GetValue<string>()))
                if (!obj.ContainsKey(name)) errors.Add($"{path}: missing required field '{name}'");
        var properties = schema["properties"] as JsonObject;
        foreach (var (name, value) in obj)
        {
            if (properties?[name] is JsonObject p) Check(value, p, root, $"{path}.{name}", errors);
            else if (schema["additionalProperties"] is JsonObject extra) Check(value, extra, root, $"{path}.{name}", errors);
            else if (schema["additionalProperties"] is JsonValue v && v.GetValueKind() == JsonValueKind.False)
                errors.Add($"{path}: field '{name}' is not in the schema");
        }
    }

    /// <summary>The JSON Schema type name of a node ("integer" for a number without a fraction).</summary>
    static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => v.ToJsonString().IndexOfAny(['.', 'e', 'E']) < 0 ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };
}
