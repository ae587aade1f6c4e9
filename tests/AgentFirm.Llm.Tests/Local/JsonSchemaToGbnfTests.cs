using System.Globalization;
using AgentFirm.Llm.Local;

namespace AgentFirm.Llm.Tests.Local;

/// <summary>
/// Worked examples of the converter: each expected grammar was derived by hand from the GBNF syntax of llama.cpp's
/// grammars/README.md (literals in double quotes, character classes, <c>?</c>, <c>|</c>, bounded repetition
/// <c>{m,n}</c>), and each maximum length is the longest JSON text the schema allows, written out in the comment.
/// </summary>
public sealed class JsonSchemaToGbnfTests
{
    [Fact]
    public void Object_with_an_enum_and_a_unit_interval_number_becomes_one_rule_per_value()
    {
        var grammar = JsonSchemaToGbnf.Convert("""
            {"type":"object","properties":{"side":{"enum":["buy","sell"]},"size":{"type":"number","minimum":0,"maximum":1,"multipleOf":0.01}},"required":["side","size"]}
            """);

        Assert.Equal(
            """
            root ::= "{" "\"side\":" ("\"buy\"" | "\"sell\"") ",\"size\":" size "}"
            size ::= ("0" ("." [0-9]{1,2})? | "1" ("." "0"{1,2})?)

            """.ReplaceLineEndings("\n"), grammar.Text);
        Assert.Equal("""{"side":"sell","size":0.55}""".Length, grammar.MaxLength); // 27
    }

    [Fact]
    public void Bounded_array_of_required_text_starts_each_string_with_a_visible_character()
    {
        var grammar = JsonSchemaToGbnf.Convert("""{"type":"array","items":{"type":"string","minLength":1,"maxLength":3},"minItems":1,"maxItems":2}""");

        Assert.Equal(
            """
            root ::= "[" "\"" visible char{0,2} "\"" ("," "\"" visible char{0,2} "\""){0,1} "]"
            char ::= [\x20-\x21\x23-\x5B\x5D-\x7E]
            visible ::= [\x21\x23-\x5B\x5D-\x7E]

            """.ReplaceLineEndings("\n"), grammar.Text);
        Assert.Equal("""["abc","def"]""".Length, grammar.MaxLength); // 13
    }

    [Fact]
    public void Signed_interval_allows_a_minus_only_where_the_minimum_is_negative()
    {
        var symmetric = JsonSchemaToGbnf.Convert("""{"type":"number","minimum":-1,"maximum":1,"multipleOf":0.1}""");
        var lopsided = JsonSchemaToGbnf.Convert("""{"type":"integer","minimum":-3,"maximum":2}""");

        Assert.Equal("root ::= \"-\"? (\"0\" (\".\" [0-9]{1})? | \"1\" (\".\" \"0\"{1})?)\n", symmetric.Text);
        Assert.Equal("-0.9".Length, symmetric.MaxLength);
        Assert.Equal("root ::= \"-\" ([0-2] | \"3\") | ([0-1] | \"2\")\n", lopsided.Text);
        Assert.Equal("-3".Length, lopsided.MaxLength);
    }

    [Fact]
    public void Wide_integer_bounds_are_spelled_digit_by_digit_below_the_top()
    {
        var grammar = JsonSchemaToGbnf.Convert("""{"type":"object","properties":{"horizon_hours":{"type":"integer","minimum":1,"maximum":720}},"required":["horizon_hours"]}""");

        Assert.Equal("root ::= \"{\" \"\\\"horizon_hours\\\":\" horizon-hours \"}\"\n" +
            "horizon-hours ::= (([1-9] [0-9]{0,1} | [1-6] [0-9]{2} | \"7\" [0-1] [0-9]{1}) | \"720\")\n", grammar.Text);
        Assert.Equal("""{"horizon_hours":720}""".Length, grammar.MaxLength);
    }

    [Fact]
    public void Fixed_tuple_of_constants_pins_each_position()
    {
        var grammar = JsonSchemaToGbnf.Convert("""{"type":"array","prefixItems":[{"const":"BTC"},{"const":"ETH"}],"items":false}""");

        Assert.Equal("root ::= \"[\" \"\\\"BTC\\\"\" \",\" \"\\\"ETH\\\"\" \"]\"\n", grammar.Text);
        Assert.Equal("""["BTC","ETH"]""".Length, grammar.MaxLength);
    }

    [Fact]
    public void Quotes_backslashes_and_non_ascii_in_enum_values_are_escaped_twice_json_then_gbnf()
    {
        var grammar = JsonSchemaToGbnf.Convert("""{"enum":["a\"b","c\\d","é"]}""");

        // JSON text "a\"b" is the GBNF literal "\"a\\\"b\""; é passes through JSON unescaped and becomes \u00E9 in GBNF.
        Assert.Equal("root ::= (\"\\\"a\\\\\\\"b\\\"\" | \"\\\"c\\\\\\\\d\\\"\" | \"\\\"\\u00E9\\\"\")\n", grammar.Text);
    }

    [Fact]
    public void Rule_names_are_made_safe_and_unique_and_never_take_the_shared_character_rules()
    {
        var grammar = JsonSchemaToGbnf.Convert("""
            {"type":"object","properties":{
              "char":{"type":"integer","minimum":0,"maximum":50},
              "a_b":{"type":"integer","minimum":0,"maximum":50},
              "a-b":{"type":"integer","minimum":0,"maximum":50},
              "note":{"type":"string","maxLength":2}},
             "required":["char","a_b","a-b","note"]}
            """);

        var names = grammar.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf(" ::=", StringComparison.Ordinal)]).ToList();
        Assert.Equal(["root", "char2", "a-b", "a-b2", "char"], names);
        Assert.Contains("char{0,2}", grammar.Text);
    }

    [Theory]
    [InlineData("""{"type":"string"}""", "#", "maxLength")]
    [InlineData("""{"type":"number","maximum":1}""", "#", "minimum")]
    [InlineData("""{"type":"array","items":{"type":"boolean"}}""", "#", "maxItems")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"boolean"}},"required":["a"]}""", "#/properties/b", "required")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/defs/x"}},"required":["a"]}""", "#/properties/a", "$ref")]
    [InlineData("""{"type":["string","null"],"maxLength":3}""", "#", "type")]
    [InlineData("""{"type":"number","minimum":0,"maximum":1,"multipleOf":0.25}""", "#", "multipleOf")]
    [InlineData("""{"enum":[1,2]}""", "#", "enum")]
    public void Unbounded_or_unsupported_schemas_are_refused_naming_the_place_and_the_keyword(string schema, string at, string keyword)
    {
        var error = Assert.Throws<NotSupportedException>(() => JsonSchemaToGbnf.Convert(schema));

        Assert.Contains($"JSON schema at {at}:", error.Message);
        Assert.Contains(keyword, error.Message);
    }

    [Fact]
    public void Meta_controller_schema_bounds_the_answer_below_the_default_token_limit()
    {
        var grammar = JsonSchemaToGbnf.Convert(MindSchemas.MetaController(["ASSET_1", "ASSET_2"]));

        // Every grammar-bound answer ends within LlmOptions' default MaxTokens (one token per character at worst).
        Assert.InRange(grammar.MaxLength, MindSchemas.RationaleLength, new LlmOptions().MaxTokens - 1);
        Assert.Contains("\"\\\"ASSET_1\\\"\"", grammar.Text);
    }
}

/// <summary>
/// The numeric grammars checked by enumeration against the schema's own rule: every candidate text the grammar
/// accepts must lie in [minimum, maximum] with at most the allowed decimals, and every in-range whole number (or
/// grid value) must be accepted.
/// </summary>
public sealed class JsonSchemaToGbnfRangeTests
{
    [Theory]
    [InlineData(1, 720)]
    [InlineData(0, 9)]
    [InlineData(-3, 2)]
    [InlineData(-100, 100)]
    [InlineData(1, 1000)]
    [InlineData(0, 0)]
    public void Integer_grammar_accepts_exactly_the_integers_in_range(int min, int max)
    {
        var regex = GbnfRegex.Of(JsonSchemaToGbnf.Convert($$"""{"type":"integer","minimum":{{min}},"maximum":{{max}}}""").Text);

        for (var n = -1200; n <= 1200; n++)
            Assert.True(regex.IsMatch(n.ToString(CultureInfo.InvariantCulture)) == (n >= min && n <= max), $"{n} in [{min}, {max}]");
        Assert.DoesNotMatch(regex, "007");
        Assert.DoesNotMatch(regex, "+1");
    }

    [Theory]
    [InlineData("-1", "1", 2)]
    [InlineData("0", "1", 2)]
    [InlineData("-2.5", "12", 1)]
    [InlineData("0", "1000000000", 2)]
    public void Number_grammar_accepts_only_in_range_texts_with_the_allowed_decimals(string min, string max, int decimals)
    {
        var step = decimals == 0 ? "1" : "0." + new string('0', decimals - 1) + "1";
        var regex = GbnfRegex.Of(JsonSchemaToGbnf.Convert($$"""{"type":"number","minimum":{{min}},"maximum":{{max}},"multipleOf":{{step}}}""").Text);
        decimal lo = decimal.Parse(min, CultureInfo.InvariantCulture), hi = decimal.Parse(max, CultureInfo.InvariantCulture);

        foreach (var text in Candidates(decimals + 1))
        {
            var value = decimal.Parse(text, CultureInfo.InvariantCulture);
            var decimalsOf = text.Contains('.') ? text.Length - text.IndexOf('.') - 1 : 0;
            if (regex.IsMatch(text)) Assert.True(value >= lo && value <= hi && decimalsOf <= decimals, $"{text} accepted for [{min}, {max}]");
        }
        // The grid of whole hundredths (tenths) inside the range, its ends included where they are whole numbers.
        for (var v = decimal.Ceiling(lo); v <= decimal.Floor(hi) && v <= 20; v += 0.5m)
            Assert.True(regex.IsMatch(v.ToString(decimals == 0 ? "0" : "0.0", CultureInfo.InvariantCulture)), $"{v} refused for [{min}, {max}]");
        Assert.Matches(regex, decimal.Floor(hi).ToString("0", CultureInfo.InvariantCulture));
    }

    /// <summary>Signed texts with up to three integer digits (and some long ones) and up to <paramref name="decimals"/> decimals.</summary>
    private static IEnumerable<string> Candidates(int decimals)
    {
        var integers = Enumerable.Range(0, 1001).Select(i => i.ToString(CultureInfo.InvariantCulture))
            .Concat(["999999999", "1000000000", "1000000001", "9999999999"]).ToArray();
        var fractions = new List<string> { "" };
        for (var d = 1; d <= decimals; d++) fractions.AddRange(["." + new string('0', d), "." + new string('5', d), "." + new string('9', d)]);
        foreach (var sign in new[] { "", "-" })
            foreach (var i in integers)
                foreach (var f in fractions)
                    yield return sign + i + f;
    }
}
