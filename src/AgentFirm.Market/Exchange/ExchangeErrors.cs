namespace AgentFirm.Market.Exchange;

/// <summary>A download that could not complete because of the exchange (not because of the user's input).</summary>
public class ExchangeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The exchange did not answer usefully within the retry budget, or refused the request outright.</summary>
public sealed class ExchangeUnavailableException(string message, Exception? inner = null) : ExchangeException(message, inner);

/// <summary>
/// The exchange answered with bars that break OHLC sanity (non-positive price, high below low, duplicate
/// times). Not retried: the same request would most likely return the same bad bars.
/// </summary>
public sealed class ExchangeDataException(string message) : ExchangeException(message);

/// <summary>A response body that is not the documented shape (truncated or invalid JSON). Retried.</summary>
public sealed class KlinePayloadException(string message, Exception? inner = null) : Exception(message, inner);
