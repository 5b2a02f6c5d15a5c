using F5Parity.Errors;

namespace F5Parity.Vocoder;

/// <summary>
/// Just enough YAML for Vocos configs: nested block mappings by indentation, <c>key: scalar</c>, comments, quoted
/// scalars, <c>null</c>/<c>~</c>. Sequences and flow collections are rejected with the line number.
/// </summary>
internal static class MiniYaml
{
    public static Dictionary<string, object?> Parse(string path, string[] lines)
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        var stack = new Stack<(int Indent, Dictionary<string, object?> Map)>();
        stack.Push((-1, root));
        string? pendingKey = null;
        int pendingIndent = -1;
        Dictionary<string, object?>? pendingParent = null;

        for (int n = 0; n < lines.Length; n++)
        {
            string raw = lines[n];
            string line = StripComment(raw).TrimEnd();
            if (line.Trim().Length == 0 || line.Trim() == "---") continue;
            if (line.Contains('\t')) throw new ConfigurationException(path, $"line {n + 1}: tab in indentation is not valid YAML");
            int indent = line.Length - line.TrimStart().Length;
            string content = line.Trim();
            if (content.StartsWith("- ") || content == "-" || content.StartsWith('[') || content.StartsWith('{'))
                throw new ConfigurationException(path, $"line {n + 1}: sequences/flow collections are not supported in a vocos config");

            if (pendingKey is not null)
            {
                // The previous "key:" opened a nested mapping if this line is indented deeper; otherwise it was null.
                if (indent > pendingIndent)
                {
                    var child = new Dictionary<string, object?>(StringComparer.Ordinal);
                    pendingParent![pendingKey] = child;
                    stack.Push((pendingIndent, child));
                }
                else pendingParent![pendingKey] = null;
                pendingKey = null;
            }
            while (stack.Count > 1 && indent <= stack.Peek().Indent) stack.Pop();
            var map = stack.Peek().Map;

            int colon = FindKeyColon(content);
            if (colon <= 0) throw new ConfigurationException(path, $"line {n + 1}: expected 'key: value', got '{content}'");
            string key = Unquote(content[..colon].Trim());
            string value = content[(colon + 1)..].Trim();
            if (map.ContainsKey(key)) throw new ConfigurationException(path, $"line {n + 1}: duplicate key '{key}'");
            if (value.Length == 0)
            {
                pendingKey = key;
                pendingIndent = indent;
                pendingParent = map;
                map[key] = null;
            }
            else map[key] = value is "null" or "~" or "Null" or "NULL" ? null : Unquote(value);
        }
        return root;
    }

    static int FindKeyColon(string s)
    {
        bool single = false, dbl = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (c == ':' && !single && !dbl && (i + 1 == s.Length || s[i + 1] == ' ')) return i;
        }
        return -1;
    }

    static string StripComment(string s)
    {
        bool single = false, dbl = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (c == '#' && !single && !dbl && (i == 0 || s[i - 1] == ' ')) return s[..i];
        }
        return s;
    }

    static string Unquote(string s) =>
        s.Length >= 2 && ((s[0] == '"' && s[^1] == '"') || (s[0] == '\'' && s[^1] == '\'')) ? s[1..^1] : s;
}
