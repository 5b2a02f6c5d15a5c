using System.Text;
using System.Text.Json;
using F5Parity.Errors;

namespace F5Parity.Text;

/// <summary>
/// The data of Python jieba 0.42.1's default tokenizer: the prefix dictionary <c>FREQ</c> with its <c>total</c>
/// (<c>gen_pfdict</c> over dict.txt) and the HMM tables of <c>jieba.finalseg</c> (start, transition, emission
/// log-probabilities). The files are the ones the jieba.NET package ships (Resources/, copied beside the F5Parity
/// assembly by its build): its dict.txt is Python jieba 0.42.1's dict.txt with CRLF line ends, and its
/// prob_trans.json / prob_emit.json hold exactly the values of finalseg/prob_trans.py / prob_emit.py (both checked).
/// </summary>
public sealed class JiebaDictionary
{
    /// <summary>finalseg/prob_start.py.</summary>
    public static readonly IReadOnlyDictionary<char, double> StartProbabilities = new Dictionary<char, double>
    {
        ['B'] = -0.26268660809250016, ['E'] = -3.14e+100, ['M'] = -3.14e+100, ['S'] = -1.4652633398537678,
    };

    static readonly Lazy<JiebaDictionary> DefaultLazy = new(() => Load(DefaultDirectory), LazyThreadSafetyMode.ExecutionAndPublication);

    JiebaDictionary(string directory, Dictionary<string, long> freq, long total,
        Dictionary<char, Dictionary<char, double>> trans, Dictionary<char, Dictionary<string, double>> emit)
    {
        Directory = directory;
        Freq = freq;
        Total = total;
        Transitions = trans;
        Emissions = emit;
    }

    /// <summary>The folder the files were read from.</summary>
    public string Directory { get; }

    /// <summary><c>FREQ</c>: every word with its count, and every prefix of a word with count 0 unless it is a word.</summary>
    public IReadOnlyDictionary<string, long> Freq { get; }

    /// <summary><c>total</c>: the sum of the counts of all dict.txt lines.</summary>
    public long Total { get; }

    /// <summary><c>trans_P</c>: state → next state → log-probability.</summary>
    public IReadOnlyDictionary<char, Dictionary<char, double>> Transitions { get; }

    /// <summary><c>emit_P</c>: state → character → log-probability.</summary>
    public IReadOnlyDictionary<char, Dictionary<string, double>> Emissions { get; }

    /// <summary><c>Resources/</c> beside the F5Parity assembly.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(JiebaDictionary).Assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory, "Resources");

    /// <summary>The dictionary in <see cref="DefaultDirectory"/>, loaded once.</summary>
    public static JiebaDictionary Default => DefaultLazy.Value;

    /// <exception cref="ConfigurationException">a file missing or malformed (naming it).</exception>
    public static JiebaDictionary Load(string directory)
    {
        string dictPath = Require(directory, "dict.txt");
        var (freq, total) = LoadPrefixDictionary(dictPath);
        string transPath = Require(directory, "prob_trans.json"), emitPath = Require(directory, "prob_emit.json");
        var trans = ReadJson<Dictionary<string, Dictionary<string, double>>>(transPath)
            .ToDictionary(kv => SingleChar(transPath, kv.Key), kv => kv.Value.ToDictionary(t => SingleChar(transPath, t.Key), t => t.Value));
        var emit = ReadJson<Dictionary<string, Dictionary<string, double>>>(emitPath)
            .ToDictionary(kv => SingleChar(emitPath, kv.Key), kv => new Dictionary<string, double>(kv.Value, StringComparer.Ordinal));
        foreach (char s in "BMES")
        {
            if (!trans.ContainsKey(s)) throw new ConfigurationException(Path.Combine(directory, "prob_trans.json"), $"state '{s}' missing");
            if (!emit.ContainsKey(s)) throw new ConfigurationException(Path.Combine(directory, "prob_emit.json"), $"state '{s}' missing");
        }
        return new JiebaDictionary(directory, freq, total, trans, emit);
    }

    /// <summary><c>FREQ.get(word)</c> with 0 for absent words (Python's falsy <c>None</c>).</summary>
    public long FreqOf(string word) => Freq.GetValueOrDefault(word);

    /// <summary><c>word in FREQ</c> (a word or a prefix of one).</summary>
    public bool Contains(string word) => Freq.ContainsKey(word);

    // gen_pfdict: "word freq [tag]" per line (stripped); a word's count replaces an earlier one, the total adds all.
    static (Dictionary<string, long>, long) LoadPrefixDictionary(string path)
    {
        var freq = new Dictionary<string, long>(700_000, StringComparer.Ordinal);
        long total = 0;
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path, new UTF8Encoding(false, throwOnInvalidBytes: true)))
        {
            lineNo++;
            var parts = raw.Trim().Split(' ');
            if (parts.Length < 2 || !long.TryParse(parts[1], out long f))
                throw new ConfigurationException(path, $"invalid dictionary entry at line {lineNo}: '{raw}'");
            string word = parts[0];
            freq[word] = f;
            total += f;
            for (int n = 1; n < word.Length; n++) freq.TryAdd(word[..n], 0);
        }
        if (total <= 0) throw new ConfigurationException(path, "the dictionary is empty");
        return (freq, total);
    }

    static string Require(string directory, string file)
    {
        string path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new ConfigurationException(path, "jieba dictionary file not found; the F5Parity build copies the jieba.NET package's Resources/ folder beside the assembly");
        return path;
    }

    static char SingleChar(string path, string key) =>
        key.Length == 1 ? key[0] : throw new ConfigurationException(path, $"state '{key}' is not one letter");

    static T ReadJson<T>(string path)
    {
        try { return JsonSerializer.Deserialize<T>(File.ReadAllText(path)) ?? throw new JsonException("null document"); }
        catch (JsonException e) { throw new ConfigurationException(path, $"not the expected JSON ({e.Message})", e); }
    }
}
