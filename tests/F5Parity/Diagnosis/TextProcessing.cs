namespace F5Parity.Diagnosis;

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
