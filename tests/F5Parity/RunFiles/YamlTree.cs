using F5Parity.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace F5Parity.RunFiles;

/// <summary>
/// A YAML file read with YamlDotNet into its node tree, and dotted-key lookups ("model.arch.dim") that raise
/// <see cref="RunFileException"/> naming the file and the key. Used for upstream's configs/*.yaml, hydra's
/// .hydra/config.yaml and Vocos' config.yaml.
/// </summary>
public sealed class YamlTree
{
    YamlTree(string file, YamlMappingNode root) { File = file; Root = root; }

    public string File { get; }
    public YamlMappingNode Root { get; }

    public static YamlTree Read(string path)
    {
        if (!System.IO.File.Exists(path)) throw new RunFileException(path, "", "YAML file not found");
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e) { throw new RunFileException(path, "", $"not valid YAML (line {e.Start.Line}, column {e.Start.Column}: {e.Message})", e); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new RunFileException(path, "", "expected a mapping at the top");
        return new YamlTree(path, root);
    }

    /// <summary>The node at a dotted key, or null when a part is absent; a non-mapping on the way is a fault.</summary>
    public YamlNode? Node(string dottedKey)
    {
        YamlNode node = Root;
        var parts = dottedKey.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            if (node is not YamlMappingNode map)
                throw new RunFileException(File, string.Join('.', parts[..i]), "expected a mapping");
            if (!map.Children.TryGetValue(new YamlScalarNode(parts[i]), out var child)) return null;
            node = child;
        }
        return node;
    }

    /// <summary>A scalar's text; null when absent or YAML null (null, ~, empty).</summary>
    public string? Scalar(string dottedKey)
    {
        var n = Node(dottedKey);
        if (n is null) return null;
        if (n is not YamlScalarNode s) throw new RunFileException(File, dottedKey, "expected a single value, got a mapping or list");
        return s.Style == ScalarStyle.Plain && s.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : s.Value;
    }

    public int? Int(string dottedKey) => Scalar(dottedKey) is string s
        ? int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i
            : throw new RunFileException(File, dottedKey, $"'{s}' is not an integer")
        : null;

    /// <summary>YAML 1.1 / OmegaConf booleans (true/false in any case, yes/no, on/off).</summary>
    public bool? Bool(string dottedKey) => Scalar(dottedKey)?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var s => throw new RunFileException(File, dottedKey, $"'{s}' is not true or false"),
    };

    public YamlMappingNode? Mapping(string dottedKey) => Node(dottedKey) switch
    {
        null => null,
        YamlMappingNode m => m,
        YamlScalarNode { Value: null or "" or "~" or "null" } => null,
        _ => throw new RunFileException(File, dottedKey, "expected a mapping"),
    };
}
