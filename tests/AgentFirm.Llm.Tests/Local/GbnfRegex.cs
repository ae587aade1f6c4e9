using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentFirm.Llm.Tests.Local;

/// <summary>
/// An independent reading of the converter's (non-recursive) GBNF as a .NET regular expression, so tests can
/// enumerate candidate texts and compare what the grammar accepts with what the schema allows. Literals become
/// escaped text, rule names are inlined, classes, groups, <c>|</c>, <c>?</c> and <c>{m,n}</c> mean the same in both.
/// </summary>
internal static class GbnfRegex
{
    public static Regex Of(string gbnf)
    {
        var rules = gbnf.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(" ::= ", 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new Regex("^(?:" + Expand(rules["root"], rules, 0) + ")$", RegexOptions.CultureInvariant);
    }

    private static string Expand(string body, IReadOnlyDictionary<string, string> rules, int depth)
    {
        if (depth > 20) throw new InvalidOperationException("recursive grammar");
        var sb = new StringBuilder();
        for (var i = 0; i < body.Length;)
        {
            var c = body[i];
            if (c == '"')
            {
                var text = new StringBuilder();
                for (i++; body[i] != '"'; i++)
                {
                    if (body[i] != '\\') { text.Append(body[i]); continue; }
                    i++;
                    if (body[i] == 'u') { text.Append((char)int.Parse(body.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; }
                    else text.Append(body[i]);
                }
                i++;
                sb.Append("(?:").Append(Regex.Escape(text.ToString())).Append(')');
            }
            else if (c == '[')
            {
                var end = body.IndexOf(']', i);
                sb.Append(body, i, end - i + 1);
                i = end + 1;
            }
            else if (char.IsAsciiLetter(c))
            {
                var end = i;
                while (end < body.Length && (char.IsAsciiLetterOrDigit(body[end]) || body[end] == '-')) end++;
                sb.Append("(?:").Append(Expand(rules[body[i..end]], rules, depth + 1)).Append(')');
                i = end;
            }
            else if (c == '{')
            {
                var end = body.IndexOf('}', i);
                sb.Append(body, i, end - i + 1);
                i = end + 1;
            }
            else if (c == '(') { sb.Append("(?:"); i++; }
            else if (c is ')' or '|' or '?') { sb.Append(c); i++; }
            else if (c == ' ') i++;
            else throw new InvalidOperationException($"unexpected '{c}' in {body}");
        }
        return sb.ToString();
    }
}
