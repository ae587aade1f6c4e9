using System.Text.RegularExpressions;
using AgentFirm.Core;

namespace AgentFirm.Host;

/// <summary>
/// Configuration binding failures in the user's terms: the key they set, the value they gave and, for a
/// choice, the values that are accepted ("AgentFirm:Llm:Mind 'Ollama' is not one of: Offline, OpenAI").
/// </summary>
public static partial class ConfigurationErrors
{
    public static BadInputException Translate(InvalidOperationException ex, string section)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (Conversion().Match(e.Message) is { Success: true } m)
            {
                var key = m.Groups["key"].Value;
                var value = m.Groups["value"].Value;
                var type = FindType(m.Groups["type"].Value);
                var expected = type switch
                {
                    { IsEnum: true } => $"is not one of: {string.Join(", ", Enum.GetNames(type))}",
                    _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "is not a number",
                    _ when type == typeof(int) || type == typeof(long) => "is not a whole number",
                    _ when type == typeof(bool) => "is not true or false",
                    _ when type == typeof(TimeSpan) => "is not a duration such as 00:00:30",
                    _ when type == typeof(Uri) => "is not a URL",
                    _ => $"is not a valid {m.Groups["type"].Value.Split('.')[^1]}",
                };
                return new BadInputException($"Configuration error: {key} '{value}' {expected}.");
            }
        return new BadInputException($"Configuration error in {section}: {ex.Message}");
    }

    private static Type? FindType(string fullName)
    {
        var name = fullName.Replace("System.Nullable`1[", "").TrimEnd(']');
        return Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);
    }

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex Conversion();
}
