using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;
using F5Parity.Text;

namespace F5Parity.Diagnosis.Configuration;

/// <summary>How the text becomes tokens before <c>list_str_to_idx</c>.</summary>
public enum TextProcessing
{
    /// <summary>One token per code point, as a dataset holding raw strings stores them (dataset.py:133,165).</summary>
    Raw,
    /// <summary><c>convert_char_to_pinyin</c> (model/utils.py:148-185), what inference always applies (utils_infer.py:483-484).</summary>
    CharToPinyin,
    /// <summary>The earlier <c>convert_char_to_pinyin</c> (<see cref="Text.CharToPinyin.Version.Legacy"/>): a dataset prepared before the change.</summary>
    CharToPinyinLegacy,
}

/// <summary>Names and conversions of <see cref="TextProcessing"/>, in one place.</summary>
public static class TextProcessingExtensions
{
    /// <summary>The configuration name (<c>trainingText</c>, run descriptions): raw, pinyin, pinyin-legacy.</summary>
    public static string ToName(this TextProcessing p) => p switch
    {
        TextProcessing.Raw => "raw",
        TextProcessing.CharToPinyinLegacy => "pinyin-legacy",
        _ => "pinyin",
    };

    /// <summary>The report.json name (docs/report-schema.md): raw, convert_char_to_pinyin, convert_char_to_pinyin_legacy.</summary>
    public static string ToSchemaName(this TextProcessing p) => p switch
    {
        TextProcessing.Raw => "raw",
        TextProcessing.CharToPinyinLegacy => "convert_char_to_pinyin_legacy",
        _ => "convert_char_to_pinyin",
    };

    /// <summary>Words for messages: raw, convert_char_to_pinyin, earlier convert_char_to_pinyin.</summary>
    public static string Describe(this TextProcessing p) => p switch
    {
        TextProcessing.Raw => "raw",
        TextProcessing.CharToPinyinLegacy => "earlier convert_char_to_pinyin",
        _ => "convert_char_to_pinyin",
    };

    /// <summary>Which converter a converting setting runs (raw text runs none; its value is then unused).</summary>
    public static CharToPinyin.Version PinyinVersion(this TextProcessing p) =>
        p == TextProcessing.CharToPinyinLegacy ? CharToPinyin.Version.Legacy : CharToPinyin.Version.Current;

    /// <summary>Reads a configuration name (case and surrounding blanks ignored).</summary>
    public static TextProcessing Parse(string text, string source) => text.Trim().ToLowerInvariant() switch
    {
        "raw" => TextProcessing.Raw,
        "pinyin" => TextProcessing.CharToPinyin,
        "pinyin-legacy" => TextProcessing.CharToPinyinLegacy,
        _ => throw new ConfigurationException(source, $"trainingText '{text}': expected pinyin, pinyin-legacy or raw"),
    };
}
