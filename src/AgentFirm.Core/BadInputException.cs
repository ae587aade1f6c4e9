namespace AgentFirm.Core;

/// <summary>
/// Input a user must fix: a bad file, row or field, or a bad argument. Hosts map it to exit code 2.
/// Row is the 1-based line number in the file (the header is line 1), so an editor jumps straight to it.
/// </summary>
public class BadInputException : Exception
{
    public BadInputException(string message) : base(message) { }

    public BadInputException(string file, long row, string field, string problem)
        : base($"{file}: row {row}, field '{field}': {problem}")
    {
        File = file;
        Row = row;
        Field = field;
        Problem = problem;
    }

    public string? File { get; }
    public long? Row { get; }
    public string? Field { get; }
    public string? Problem { get; }
}
