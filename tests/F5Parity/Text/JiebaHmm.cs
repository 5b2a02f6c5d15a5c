using System.Text.RegularExpressions;

namespace F5Parity.Text;

/// <summary>
/// Python jieba 0.42.1's <c>jieba.finalseg.cut</c>: the HMM (states B, M, E, S) that cuts runs of characters the
/// dictionary route left as single characters. Runs of U+4E00–U+9FD5 go through the Viterbi decoder; the rest is split
/// by <c>re_skip</c> = <c>([a-zA-Z0-9]+(?:\.\d+)?%?)</c>, keeping the pieces between matches whole.
/// <para>
/// Ties are broken as Python's <c>max</c> over <c>(probability, state)</c> tuples breaks them: towards the later state
/// letter (jieba-rs does the same). They are frequent for characters missing from an emission table, whose
/// -3.14e100 swamps every other term; jieba.NET breaks them the other way, which is why this is not jieba.NET's
/// <c>Viterbi</c> (on 3,000 random mixed strings it cut 32 differently from Python jieba, all for this reason).
/// </para>
/// </summary>
public static class JiebaHmm
{
    const double MinFloat = -3.14e100;
    static readonly Regex Skip = new(@"([a-zA-Z0-9]+(?:\.[0-9]+)?%?)", RegexOptions.CultureInvariant);
    static readonly string States = "BMES";
    static readonly Dictionary<char, string> PrevStatus = new() { ['B'] = "ES", ['M'] = "MB", ['S'] = "SE", ['E'] = "BM" };

    /// <summary><c>finalseg.cut(sentence)</c> for a sentence made of <c>re_han_default</c> characters.</summary>
    public static IEnumerable<string> Cut(string sentence, JiebaDictionary dict)
    {
        int i = 0;
        while (i < sentence.Length)
        {
            bool han = IsHan(sentence[i]);
            int start = i;
            while (i < sentence.Length && IsHan(sentence[i]) == han) i++;
            string block = sentence[start..i];
            if (han)
            {
                foreach (var w in ViterbiCut(block, dict)) yield return w;
            }
            else
            {
                foreach (var piece in Skip.Split(block))
                    if (piece.Length > 0) yield return piece;
            }
        }
    }

    /// <summary><c>finalseg.re_han</c>: U+4E00–U+9FD5.</summary>
    static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FD5';

    // finalseg.__cut: decode the best state path, then B..E spans and S characters are words; a trailing unfinished
    // span is a word too.
    static List<string> ViterbiCut(string sentence, JiebaDictionary dict)
    {
        var path = Viterbi(sentence, dict);
        var words = new List<string>();
        int begin = 0, next = 0;
        for (int i = 0; i < sentence.Length; i++)
        {
            switch (path[i])
            {
                case 'B': begin = i; break;
                case 'E': words.Add(sentence[begin..(i + 1)]); next = i + 1; break;
                case 'S': words.Add(sentence[i].ToString()); next = i + 1; break;
            }
        }
        if (next < sentence.Length) words.Add(sentence[next..]);
        return words;
    }

    static char[] Viterbi(string obs, JiebaDictionary dict)
    {
        int n = obs.Length;
        var v = new Dictionary<char, double>[n];
        var back = new Dictionary<char, char>[n];
        v[0] = new Dictionary<char, double>();
        foreach (char y in States)
            v[0][y] = JiebaDictionary.StartProbabilities[y] + Emission(dict, y, obs[0]);
        for (int t = 1; t < n; t++)
        {
            v[t] = new Dictionary<char, double>();
            back[t] = new Dictionary<char, char>();
            foreach (char y in States)
            {
                double em = Emission(dict, y, obs[t]);
                double best = double.NegativeInfinity;
                char bestState = '\0';
                foreach (char y0 in PrevStatus[y])
                {
                    double p = v[t - 1][y0] + dict.Transitions[y0].GetValueOrDefault(y, MinFloat) + em;
                    if (p > best || (p == best && y0 > bestState)) { best = p; bestState = y0; }
                }
                v[t][y] = best;
                back[t][y] = bestState;
            }
        }
        // max((V[-1][y], y) for y in "ES"): a tie picks 'S'.
        char last = v[n - 1]['S'] >= v[n - 1]['E'] ? 'S' : 'E';
        var path = new char[n];
        path[n - 1] = last;
        for (int t = n - 1; t > 0; t--) path[t - 1] = back[t][path[t]];
        return path;
    }

    static double Emission(JiebaDictionary dict, char state, char c) =>
        dict.Emissions[state].GetValueOrDefault(c.ToString(), MinFloat);
}
