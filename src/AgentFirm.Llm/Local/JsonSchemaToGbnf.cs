using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFirm.Llm.Local;

/// <summary>A GBNF grammar (llama.cpp grammars/README.md) whose start rule is <see cref="Root"/>, and the longest text it allows.</summary>
public sealed record GbnfGrammar(string Text, int MaxLength)
{
    public const string Root = "root";
}

/// <summary>
/// Turns the JSON schemas our minds answer in into GBNF grammars, so llama.cpp can only sample text that parses into
/// the schema. Only a bounded subset is accepted, because a random or confused model must still finish: every
/// grammar has a longest text (<see cref="GbnfGrammar.MaxLength"/>), and anything unbounded or outside the subset
/// throws <see cref="NotSupportedException"/> naming the schema location. Every text a grammar allows is valid
/// under its schema (some valid texts may be excluded). The subset:
/// <list type="bullet">
/// <item>objects whose properties are all required; they are written in the schema's order, with no extra keys;</item>
/// <item>strings: <c>enum</c> or <c>const</c> of strings, or free text with <c>maxLength</c> (and <c>minLength</c>);
/// free text is printable ASCII without quotes or backslashes (no escapes), and when <c>minLength</c> is at least 1
/// it starts with a visible character, so required text is never blank;</item>
/// <item>numbers and integers with <c>minimum</c> and <c>maximum</c>, enforced digit by digit (a fractional bound
/// is rounded towards zero); the minimum must be negative, 0, or 1 for integers; <c>multipleOf</c> a power of ten
/// sets the decimals (4 by default);</item>
/// <item>booleans; arrays with <c>items</c> and <c>maxItems</c> (and <c>minItems</c>), or a fixed <c>prefixItems</c> tuple.</item>
/// </list>
/// The output is compact JSON (no whitespace), which any JSON reader accepts.
/// </summary>
public static class JsonSchemaToGbnf
{
    /// <summary>Decimals of a number whose schema gives no <c>multipleOf</c>.</summary>
    public const int DefaultDecimals = 4;

    private const string TextChar = "[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]"; // printable ASCII less '"' and '\'
    private const string VisibleChar = "[\\x21\\x23-\\x5B\\x5D-\\x7E]";   // the same less the space

    public static GbnfGrammar Convert(string schemaJson) =>
        Convert(JsonNode.Parse(schemaJson) ?? throw new NotSupportedException("the schema is JSON null"));

    public static GbnfGrammar Convert(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var rules = new RuleSet();
        var (expression, maxLength) = Value(schema, "#", GbnfGrammar.Root, rules);
        if (expression != GbnfGrammar.Root) rules.Define(GbnfGrammar.Root, expression, claimed: true);
        return new GbnfGrammar(rules.Text(), maxLength);
    }

    private static (string Expression, int MaxLength) Value(JsonNode node, string at, string name, RuleSet rules)
    {
        if (node is not JsonObject schema) throw Unsupported(at, "a schema must be a JSON object");
        foreach (var keyword in new[] { "$ref", "anyOf", "oneOf", "allOf", "not", "if", "patternProperties", "pattern", "format" })
            if (schema.ContainsKey(keyword)) throw Unsupported(at, $"'{keyword}' is outside the supported subset");
        if (schema["const"] is { } constant) return Choice([constant], at);
        if (schema["enum"] is JsonArray options) return Choice(options, at);
        var type = schema["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : throw Unsupported(at, "needs a single 'type' (or 'enum'/'const')");
        return type switch
        {
            "object" => Object(schema, at, name, rules),
            "array" => Array(schema, at, name, rules),
            "string" => Text(schema, at, rules),
            "number" => Number(schema, at, name, rules, integer: false),
            "integer" => Number(schema, at, name, rules, integer: true),
            "boolean" => ("(\"true\" | \"false\")", 5),
            _ => throw Unsupported(at, $"type '{type}' is outside the supported subset"),
        };
    }

    private static (string, int) Object(JsonObject schema, string at, string name, RuleSet rules)
    {
        var properties = schema["properties"] as JsonObject ?? throw Unsupported(at, "an object needs 'properties'");
        var required = (schema["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        var parts = new List<string> { Literal("{") };
        var length = 2;
        var first = true;
        foreach (var (key, property) in properties)
        {
            if (!required.Contains(key)) throw Unsupported($"{at}/properties/{key}", "every property must be required (optional keys are outside the subset)");
            var field = (first ? "" : ",") + JsonString(key) + ":";
            var (value, max) = Value(property ?? throw Unsupported($"{at}/properties/{key}", "null schema"), $"{at}/properties/{key}", Child(name, key), rules);
            parts.Add(Literal(field));
            parts.Add(value);
            length += field.Length + max;
            first = false;
        }
        parts.Add(Literal("}"));
        return (rules.Define(name, string.Join(" ", parts)), length);
    }

    private static (string, int) Array(JsonObject schema, string at, string name, RuleSet rules)
    {
        if (schema["prefixItems"] is JsonArray tuple)
        {
            if (schema["items"] is not (null or JsonValue)) throw Unsupported(at, "'prefixItems' allows only 'items': false (a fixed tuple)");
            if (schema["items"] is JsonValue v && (!v.TryGetValue<bool>(out var open) || open)) throw Unsupported(at, "'prefixItems' allows only 'items': false (a fixed tuple)");
            var parts = new List<string> { Literal("[") };
            var length = 2 + Math.Max(0, tuple.Count - 1);
            for (var i = 0; i < tuple.Count; i++)
            {
                var (item, max) = Value(tuple[i] ?? throw Unsupported($"{at}/prefixItems/{i}", "null schema"), $"{at}/prefixItems/{i}", Child(name, i.ToString(CultureInfo.InvariantCulture)), rules);
                if (i > 0) parts.Add(Literal(","));
                parts.Add(item);
                length += max;
            }
            parts.Add(Literal("]"));
            return (rules.Define(name, string.Join(" ", parts)), length);
        }
        var itemSchema = schema["items"] ?? throw Unsupported(at, "an array needs 'items' or 'prefixItems'");
        var maxItems = Bound(schema, "maxItems", at) ?? throw Unsupported(at, "an array needs 'maxItems' (unbounded arrays may never end)");
        var minItems = Bound(schema, "minItems", at) ?? 0;
        if (minItems > maxItems) throw Unsupported(at, "'minItems' exceeds 'maxItems'");
        var (element, elementMax) = Value(itemSchema, $"{at}/items", Child(name, "item"), rules);
        string body;
        if (maxItems == 0) body = Literal("[]");
        else
        {
            var rest = maxItems == 1 ? "" : $" ({Literal(",")} {element}){Repeat(Math.Max(0, minItems - 1), maxItems - 1)}";
            var some = element + rest;
            body = minItems == 0 ? $"{Literal("[")} ({some})? {Literal("]")}" : $"{Literal("[")} {some} {Literal("]")}";
        }
        return (rules.Define(name, body), 2 + maxItems * elementMax + Math.Max(0, maxItems - 1));
    }

    private static (string, int) Text(JsonObject schema, string at, RuleSet rules)
    {
        var maxLength = Bound(schema, "maxLength", at) ?? throw Unsupported(at, "a free-text string needs 'maxLength'");
        var minLength = Bound(schema, "minLength", at) ?? 0;
        if (minLength > maxLength) throw Unsupported(at, "'minLength' exceeds 'maxLength'");
        var quote = Literal("\"");
        if (maxLength == 0) return ($"{quote} {quote}", 2);
        rules.Define("char", TextChar, claimed: true);
        if (minLength == 0) return ($"{quote} char{Repeat(0, maxLength)} {quote}", maxLength + 2);
        rules.Define("visible", VisibleChar, claimed: true);
        var tail = maxLength == 1 ? "" : $" char{Repeat(minLength - 1, maxLength - 1)}";
        return ($"{quote} visible{tail} {quote}", maxLength + 2);
    }

    private static (string, int) Number(JsonObject schema, string at, string name, RuleSet rules, bool integer)
    {
        var min = Decimal(schema, "minimum", at) ?? throw Unsupported(at, "a number needs 'minimum' and 'maximum' (they bound its digits)");
        var max = Decimal(schema, "maximum", at) ?? throw Unsupported(at, "a number needs 'minimum' and 'maximum' (they bound its digits)");
        if (min > max) throw Unsupported(at, "'minimum' exceeds 'maximum'");
        // Lower bounds the grammar holds exactly: a negative minimum (it bounds the minus side), 0, and 1 for integers.
        if (max < 0) throw Unsupported(at, "a negative 'maximum' is outside the subset (use minimum <= 0 <= maximum)");
        var fromOne = integer && min == 1;
        if (min > 0 && !fromOne) throw Unsupported(at, "a positive 'minimum' is supported only as 1 for integers (use 0)");
        var decimals = integer ? 0 : Decimals(schema, at);
        // A fractional bound is rounded towards zero: stricter than the schema, never looser.
        var positive = Magnitude(decimal.Floor(max), decimals, fromOne);
        if (min >= 0) return (rules.Define(name, positive.Expression), positive.MaxLength);
        var negative = Magnitude(decimal.Floor(-min), decimals, skipZero: false);
        var minus = Literal("-");
        var (body, length) = negative.Expression == positive.Expression
            ? ($"{minus}? {positive.Expression}", positive.MaxLength + 1)
            : ($"{minus} {negative.Expression} | {positive.Expression}", Math.Max(negative.MaxLength + 1, positive.MaxLength));
        return (rules.Define(name, body), length);
    }

    /// <summary>
    /// Decimal text of a magnitude in [0, <paramref name="top"/>] (a whole number), or [1, top] with
    /// <paramref name="skipZero"/>: every shorter number, then the numbers of top's length below it (top's first
    /// digits, a smaller digit, any digits), each with any fraction; top itself only with zeros after the point.
    /// </summary>
    private static (string Expression, int MaxLength) Magnitude(decimal top, int decimals, bool skipZero)
    {
        var fraction = decimals == 0 ? "" : $" ({Literal(".")} [0-9]{Repeat(1, decimals)})?";
        var zeros = decimals == 0 ? "" : $" ({Literal(".")} \"0\"{Repeat(1, decimals)})?";
        var digits = top.ToString("0", CultureInfo.InvariantCulture);
        var length = digits.Length + (decimals == 0 ? 0 : 1 + decimals);
        var exact = Literal(digits) + zeros;
        if (top == 0) return (decimals == 0 ? exact : $"({exact})", length);
        var below = new List<string>();
        if (digits.Length == 1)
        {
            var first = top - 1;
            if (!skipZero || first >= 1) below.Add(Digits(skipZero ? 1 : 0, (int)first));
        }
        else
        {
            if (!skipZero) below.Add(Literal("0"));
            below.Add(digits.Length == 2 ? "[1-9]" : $"[1-9] [0-9]{Repeat(0, digits.Length - 2)}");
            for (var i = 0; i < digits.Length; i++)
            {
                int low = i == 0 ? 1 : 0, high = digits[i] - '0' - 1;
                if (high < low) continue;
                var rest = digits.Length - i - 1;
                below.Add((i > 0 ? Literal(digits[..i]) + " " : "") + Digits(low, high) + (rest > 0 ? $" [0-9]{Repeat(rest, rest)}" : ""));
            }
        }
        if (below.Count == 0) return ($"({exact})", length);
        var smaller = below.Count == 1 ? below[0] + fraction : $"({string.Join(" | ", below)}){fraction}";
        return ($"({smaller} | {exact})", length);
    }

    private static string Digits(int low, int high) => low == high ? Literal(low.ToString(CultureInfo.InvariantCulture)) : $"[{low}-{high}]";

    private static int Decimals(JsonObject schema, string at)
    {
        if (Decimal(schema, "multipleOf", at) is not { } step) return DefaultDecimals;
        for (var decimals = 0; decimals <= 12; decimals++)
            if (step == Pow10(-decimals)) return decimals;
        throw Unsupported(at, "'multipleOf' must be a power of ten no finer than 1e-12 (it sets the decimals)");
    }

    private static decimal Pow10(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < -exponent; i++) value /= 10;
        return value;
    }

    private static (string, int) Choice(IEnumerable<JsonNode?> options, string at)
    {
        var texts = options.Select(o => o is JsonValue v && v.TryGetValue<string>(out var s) ? JsonString(s) : throw Unsupported(at, "only string 'enum'/'const' values are supported")).ToList();
        if (texts.Count == 0) throw Unsupported(at, "an empty 'enum' allows nothing");
        var expression = texts.Count == 1 ? Literal(texts[0]) : "(" + string.Join(" | ", texts.Select(Literal)) + ")";
        return (expression, texts.Max(t => t.Length));
    }

    private static int? Bound(JsonObject schema, string keyword, string at)
    {
        if (schema[keyword] is null) return null;
        return schema[keyword] is JsonValue v && v.TryGetValue<int>(out var n) && n >= 0 && n <= 100_000
            ? n : throw Unsupported(at, $"'{keyword}' must be a whole number in [0, 100000]");
    }

    private static decimal? Decimal(JsonObject schema, string keyword, string at)
    {
        if (schema[keyword] is null) return null;
        return schema[keyword] is JsonValue v && v.TryGetValue<decimal>(out var d) ? d
            : schema[keyword] is JsonValue w && w.TryGetValue<double>(out var x) && double.IsFinite(x) && Math.Abs(x) < 1e15 ? (decimal)x
            : throw Unsupported(at, $"'{keyword}' must be a number");
    }

    /// <summary>Rule names follow the path: a root property's rule is named after it, deeper ones after their parents too.</summary>
    private static string Child(string parent, string key) => parent == GbnfGrammar.Root ? key : $"{parent}-{key}";

    /// <summary>GBNF bounded repetition <c>{m,n}</c>.</summary>
    private static string Repeat(int min, int max) => min == max ? $"{{{min}}}" : $"{{{min},{max}}}";

    /// <summary>A JSON string literal as compact JSON writes it (escapes for quotes, backslashes and control characters).</summary>
    private static string JsonString(string value) => JsonSerializer.Serialize(value, JsonSchemaText.Options);

    /// <summary>A GBNF string literal matching <paramref name="text"/> exactly.</summary>
    internal static string Literal(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case >= ' ' and <= '~': sb.Append(c); break;
                default: sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"); break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static NotSupportedException Unsupported(string at, string why) => new($"JSON schema at {at}: {why}.");

    /// <summary>The grammar's rules in definition order, the root first; names are made GBNF-safe and unique.</summary>
    private sealed class RuleSet
    {
        // The fixed names are reserved up front, so a property called "char" gets a rule "char2", never theirs.
        private static readonly string[] Reserved = [GbnfGrammar.Root, "char", "visible"];
        private readonly List<(string Name, string Body)> _rules = [];
        private readonly HashSet<string> _names = new(Reserved, StringComparer.Ordinal);

        /// <summary>
        /// Adds a rule and returns its name: a fixed name (<paramref name="claimed"/>: root and the shared character
        /// classes) once, any other made GBNF-safe and unique. The value at the root of the schema takes "root".
        /// </summary>
        public string Define(string name, string body, bool claimed = false)
        {
            if (claimed || name == GbnfGrammar.Root)
            {
                if (_rules.All(r => r.Name != name)) _rules.Add((name, body));
                return name;
            }
            var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
            var unique = safe;
            for (var n = 2; !_names.Add(unique); n++) unique = $"{safe}{n}";
            _rules.Add((unique, body));
            return unique;
        }

        public string Text()
        {
            var sb = new StringBuilder();
            foreach (var (name, body) in _rules.Where(r => r.Name == GbnfGrammar.Root).Concat(_rules.Where(r => r.Name != GbnfGrammar.Root)))
                sb.Append(name).Append(" ::= ").Append(body).Append('\n');
            return sb.ToString();
        }
    }
}

internal static class JsonSchemaText
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
