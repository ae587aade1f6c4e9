namespace AgentFirm.Core;

/// <summary>
/// A piece of text that may move a market (news headline, post), in the shared text schema
/// (timestamp,text,label,source). It is known from <see cref="Time"/> on. Label is negative|neutral|positive
/// when a human (or the simulator's ground truth) gave one.
/// </summary>
public sealed record Headline(DateTimeOffset Time, string Text, string? Label, string Source, string? Symbol = null);
