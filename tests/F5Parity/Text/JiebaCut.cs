using System.Collections.Specialized;
using ConfigurationManager = System.Configuration.ConfigurationManager;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using F5Parity.Errors;
using JiebaNet.Segmenter;

namespace F5Parity.Text;

/// <summary>
/// <c>jieba.cut(text)</c> (default mode, HMM on) as Python jieba 0.42.1 does it — the segmenter the reference data was
/// produced with, standing in for upstream's <c>rjieba.cut</c>.
/// <para>
/// The top level is written here after jieba 0.42.1's <c>Tokenizer.cut</c>: the text is split into maximal runs of
/// <c>re_han_default</c> = <c>[\u4E00-\u9FD5a-zA-Z0-9+#&amp;._%-]</c>; each run is cut by the dictionary DAG and the HMM
/// (jieba.NET's <c>JiebaSegmenter</c>, a port of the same code with the same dict.txt and HMM tables); every other code
/// point is its own segment, except that "\r\n" stays one segment (<c>re_skip_default</c> = <c>(\r\n|\s)</c>).
/// jieba.NET's own top level is not used because it differs: its han class also holds U+00B7 '·', and it yields the
/// two UTF-16 halves of a non-BMP character as two segments where Python yields one code point.
/// </para>
/// <para>
/// Known differences from upstream's real segmenter, rjieba 0.2.1 = jieba-rs 0.9.0: its HMM skip pattern
/// <c>([a-zA-Z0-9]+(?:.\d+)?%?)</c> leaves the '.' unescaped, so jieba-rs keeps "covid-19" (and "a-1", "x/2", any
/// letter/digit run followed by one character and digits) as one segment, where Python jieba (and this class) gives
/// "covid", "-", "19" — and <c>convert_char_to_pinyin</c> then inserts a space ("covid- 19" instead of "covid-19").
/// The reference data follows Python jieba, so this class does too. Left as is (ties only, never seen in practice):
/// jieba.NET breaks exact ties of the DAG route and of the Viterbi path towards the other candidate than Python does.
/// </para>
/// </summary>
public static class JiebaCut
{
    /// <summary>The app setting jieba.NET reads its dictionary folder from (<c>ConfigManager.ConfigFileBaseDir</c>).</summary>
    public const string ConfigKey = "JiebaConfigFileDir";

    static readonly string[] RequiredFiles = ["dict.txt", "prob_trans.json", "prob_emit.json"];
    static readonly Lazy<JiebaSegmenter> Segmenter = new(CreateSegmenter, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The segments of <paramref name="text"/>, concatenating back to it.</summary>
    public static IReadOnlyList<string> Cut(string text)
    {
        var segments = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (IsHanDefault(text[i]))
            {
                int start = i;
                while (i < text.Length && IsHanDefault(text[i])) i++;
                // The whole run matches jieba.NET's (wider) han class, so its Cut goes straight to the DAG + HMM cut.
                segments.AddRange(Segmenter.Value.Cut(text[start..i], cutAll: false, hmm: true));
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { segments.Add("\r\n"); i += 2; }
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { segments.Add(text.Substring(i, 2)); i += 2; }
            else { segments.Add(text[i].ToString()); i++; }
        }
        return segments;
    }

    /// <summary>Python jieba 0.42.1 <c>re_han_default</c>: <c>[\u4E00-\u9FD5a-zA-Z0-9+#&amp;\._%\-]</c>.</summary>
    public static bool IsHanDefault(char c) =>
        c is >= '\u4E00' and <= '\u9FD5' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            or '+' or '#' or '&' or '.' or '_' or '%' or '-';

    /// <summary>
    /// The folder jieba.NET reads dict.txt and the HMM tables from: the <see cref="ConfigKey"/> app setting if the
    /// application set one, else <c>Resources/</c> beside the jieba.NET assembly (where the F5Parity build copies them).
    /// </summary>
    public static string ResourceDirectory
    {
        get
        {
            string? configured = ConfigurationManager.AppSettings[ConfigKey];
            if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);
            string baseDir = Path.GetDirectoryName(typeof(JiebaSegmenter).Assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory;
            return Path.Combine(baseDir, "Resources");
        }
    }

    static JiebaSegmenter CreateSegmenter()
    {
        // jieba.NET resolves "Resources/dict.txt" against the current directory unless the app setting names a folder,
        // and it swallows a missing dict.txt (an empty dictionary, silently wrong segments). So the folder is checked
        // here and handed to jieba.NET as an absolute path before any of its types initialise.
        string dir = ResourceDirectory;
        foreach (var file in RequiredFiles)
            if (!File.Exists(Path.Combine(dir, file)))
                throw new ConfigurationException(ConfigKey,
                    $"jieba.NET resource {Path.Combine(dir, file)} not found; the F5Parity build copies the jieba.NET package's Resources/ folder beside the assembly");
        if (string.IsNullOrEmpty(ConfigurationManager.AppSettings[ConfigKey])) SetAppSetting(ConfigKey, dir);
        return CreateAndCheck(dir);
    }

    // Kept out of CreateSegmenter so that no jieba.NET static state is touched before the setting is in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static JiebaSegmenter CreateAndCheck(string dir)
    {
        var segmenter = new JiebaSegmenter();
        if (!(WordDictionary.Instance.Total > 0))
            throw new ConfigurationException(ConfigKey,
                $"jieba.NET loaded an empty dictionary (it was initialised before F5Parity could point it at {dir}); set the {ConfigKey} app setting to that folder");
        return segmenter;
    }

    /// <summary>
    /// <c>ConfigurationManager.AppSettings</c> is read-only when no config file defines it; its read-only flag is the
    /// protected <c>NameObjectCollectionBase.IsReadOnly</c>, lifted for the one write.
    /// </summary>
    static void SetAppSetting(string key, string value)
    {
        NameValueCollection settings = ConfigurationManager.AppSettings;
        var readOnly = typeof(NameObjectCollectionBase).GetProperty("IsReadOnly", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new ConfigurationException(ConfigKey, "cannot set the jieba.NET app setting (NameObjectCollectionBase.IsReadOnly not found); set it in the application's config file");
        bool was = (bool)readOnly.GetValue(settings)!;
        readOnly.SetValue(settings, false);
        try { settings[key] = value; }
        finally { readOnly.SetValue(settings, was); }
        if (ConfigurationManager.AppSettings[key] != value)
            throw new ConfigurationException(ConfigKey, $"setting {ConfigKey}={value} did not take; set it in the application's config file");
    }
}
