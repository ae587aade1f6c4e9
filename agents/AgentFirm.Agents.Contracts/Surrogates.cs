using AgentFirm.Core;

namespace AgentFirm.Agents.Contracts;

// Orleans serialises the plain domain records of AgentFirm.Core through these surrogates, so Core needs
// no Orleans attributes. Messages that carry them are [Immutable], so in-silo calls pass references.

[GenerateSerializer]
public struct BarSurrogate
{
    [Id(0)] public DateTimeOffset Time;
    [Id(1)] public TimeSpan Duration;
    [Id(2)] public double Open;
    [Id(3)] public double High;
    [Id(4)] public double Low;
    [Id(5)] public double Close;
    [Id(6)] public double Volume;
}

[RegisterConverter]
public sealed class BarConverter : IConverter<Bar, BarSurrogate>
{
    public Bar ConvertFromSurrogate(in BarSurrogate s) => new(s.Time, s.Duration, s.Open, s.High, s.Low, s.Close, s.Volume);

    public BarSurrogate ConvertToSurrogate(in Bar b) => new()
    {
        Time = b.Time, Duration = b.Duration, Open = b.Open, High = b.High, Low = b.Low, Close = b.Close, Volume = b.Volume,
    };
}

[GenerateSerializer]
public struct EvidenceSurrogate
{
    [Id(0)] public string Name;
    [Id(1)] public double Value;
    [Id(2)] public string? Note;
}

[RegisterConverter]
public sealed class EvidenceConverter : IConverter<Evidence, EvidenceSurrogate>
{
    public Evidence ConvertFromSurrogate(in EvidenceSurrogate s) => new(s.Name, s.Value, s.Note);

    public EvidenceSurrogate ConvertToSurrogate(in Evidence e) => new() { Name = e.Name, Value = e.Value, Note = e.Note };
}

[GenerateSerializer]
public struct AgentViewSurrogate
{
    [Id(0)] public string Agent;
    [Id(1)] public string Symbol;
    [Id(2)] public DateTimeOffset AsOf;
    [Id(3)] public double Direction;
    [Id(4)] public double Confidence;
    [Id(5)] public TimeSpan Horizon;
    [Id(6)] public Evidence[] Evidence;
    [Id(7)] public string Rationale;
}

[RegisterConverter]
public sealed class AgentViewConverter : IConverter<AgentView, AgentViewSurrogate>
{
    public AgentView ConvertFromSurrogate(in AgentViewSurrogate s) => new(s.Agent, s.Symbol, s.AsOf, s.Direction, s.Confidence, s.Horizon, s.Evidence, s.Rationale);

    public AgentViewSurrogate ConvertToSurrogate(in AgentView v) => new()
    {
        Agent = v.Agent, Symbol = v.Symbol, AsOf = v.AsOf, Direction = v.Direction, Confidence = v.Confidence,
        Horizon = v.Horizon, Evidence = v.Evidence.ToArray(), Rationale = v.Rationale,
    };
}

[GenerateSerializer]
public struct HeadlineSurrogate
{
    [Id(0)] public DateTimeOffset Time;
    [Id(1)] public string Text;
    [Id(2)] public string? Label;
    [Id(3)] public string Source;
    [Id(4)] public string? Symbol;
}

[RegisterConverter]
public sealed class HeadlineConverter : IConverter<Headline, HeadlineSurrogate>
{
    public Headline ConvertFromSurrogate(in HeadlineSurrogate s) => new(s.Time, s.Text, s.Label, s.Source, s.Symbol);

    public HeadlineSurrogate ConvertToSurrogate(in Headline h) => new() { Time = h.Time, Text = h.Text, Label = h.Label, Source = h.Source, Symbol = h.Symbol };
}

[GenerateSerializer]
public struct FillSurrogate
{
    [Id(0)] public long OrderId;
    [Id(1)] public string Symbol;
    [Id(2)] public OrderSide Side;
    [Id(3)] public double Quantity;
    [Id(4)] public double Price;
    [Id(5)] public double Fee;
    [Id(6)] public double SlippageCost;
    [Id(7)] public bool IsMaker;
    [Id(8)] public DateTimeOffset Time;
}

[RegisterConverter]
public sealed class FillConverter : IConverter<Fill, FillSurrogate>
{
    public Fill ConvertFromSurrogate(in FillSurrogate s) => new(s.OrderId, s.Symbol, s.Side, s.Quantity, s.Price, s.Fee, s.SlippageCost, s.IsMaker, s.Time);

    public FillSurrogate ConvertToSurrogate(in Fill f) => new()
    {
        OrderId = f.OrderId, Symbol = f.Symbol, Side = f.Side, Quantity = f.Quantity, Price = f.Price, Fee = f.Fee,
        SlippageCost = f.SlippageCost, IsMaker = f.IsMaker, Time = f.Time,
    };
}

[GenerateSerializer]
public struct FundingPaymentSurrogate
{
    [Id(0)] public DateTimeOffset Time;
    [Id(1)] public string Symbol;
    [Id(2)] public double PositionQuantity;
    [Id(3)] public double MarkPrice;
    [Id(4)] public double Rate;
    [Id(5)] public double Amount;
}

[RegisterConverter]
public sealed class FundingPaymentConverter : IConverter<FundingPayment, FundingPaymentSurrogate>
{
    public FundingPayment ConvertFromSurrogate(in FundingPaymentSurrogate s) => new(s.Time, s.Symbol, s.PositionQuantity, s.MarkPrice, s.Rate, s.Amount);

    public FundingPaymentSurrogate ConvertToSurrogate(in FundingPayment f) => new()
    {
        Time = f.Time, Symbol = f.Symbol, PositionQuantity = f.PositionQuantity, MarkPrice = f.MarkPrice, Rate = f.Rate, Amount = f.Amount,
    };
}

[GenerateSerializer]
public struct LedgerEntrySurrogate
{
    [Id(0)] public long Sequence;
    [Id(1)] public DateTimeOffset Time;
    [Id(2)] public LedgerEntryKind Kind;
    [Id(3)] public string Symbol;
    [Id(4)] public OrderSide Side;
    [Id(5)] public double Quantity;
    [Id(6)] public double Price;
    [Id(7)] public double Fee;
    [Id(8)] public double Amount;
    [Id(9)] public long OrderId;
    [Id(10)] public string? Note;
    [Id(11)] public long Step;
}

[RegisterConverter]
public sealed class LedgerEntryConverter : IConverter<LedgerEntry, LedgerEntrySurrogate>
{
    public LedgerEntry ConvertFromSurrogate(in LedgerEntrySurrogate s) =>
        new(s.Sequence, s.Step, s.Time, s.Kind, s.Symbol, s.Side, s.Quantity, s.Price, s.Fee, s.Amount, s.OrderId, s.Note);

    public LedgerEntrySurrogate ConvertToSurrogate(in LedgerEntry e) => new()
    {
        Sequence = e.Sequence, Step = e.Step, Time = e.Time, Kind = e.Kind, Symbol = e.Symbol, Side = e.Side, Quantity = e.Quantity,
        Price = e.Price, Fee = e.Fee, Amount = e.Amount, OrderId = e.OrderId, Note = e.Note,
    };
}
