using AgentFirm.Llm.Local;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm;

/// <summary>
/// The meta-controller's synthesis by a model behind any OpenAI-compatible chat completions endpoint, through
/// <see cref="ChatModel"/> (Semantic Kernel, cassettes, cost). The model sees the numbers (anonymised by default)
/// and untrusted headlines fenced as data; its JSON answer is validated strictly and bounded by
/// <see cref="LlmOptions.MaxDeviation"/>. Anything that goes wrong (HTTP error, timeout, cancellation, invalid
/// answer, budget spent) leaves the quantitative decision standing, retried when transient, then counted in
/// <see cref="Stats"/>. The API key is never logged and is scrubbed from error text.
/// </summary>
public sealed class SemanticKernelMind : IMind, IDisposable
{
    private readonly LlmOptions _options;
    private readonly PromptLibrary _prompts;
    private readonly string _variant;
    private readonly ILogger<SemanticKernelMind> _logger;
    private readonly ChatModel _model;
    private const int WarningsPerReason = 3;

    /// <param name="variant">The prompt variant: prompts/meta-controller/&lt;variant&gt;.md.</param>
    /// <param name="model">The model; <see cref="LlmOptions.Model"/> when null.</param>
    /// <param name="httpClient">Optional; its own timeout should be at least <see cref="LlmOptions.Timeout"/>.</param>
    public SemanticKernelMind(LlmOptions options, PromptLibrary prompts, ILogger<SemanticKernelMind> logger,
        CassetteStore? cassettes = null, MindStats? stats = null, HttpClient? httpClient = null,
        string variant = PromptLibrary.DefaultVariant, string? model = null, LlmCosts? costs = null, LocalModel? localModel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var local = options.Mind == MindKind.Local && localModel is not null;
        if (!local && options.Mind != MindKind.OpenAI || string.IsNullOrWhiteSpace(model ?? options.Model))
            throw new InvalidOperationException($"{LlmOptions.Section}: SemanticKernelMind needs Mind=OpenAI with Endpoint and Model, or Mind=Local with a loaded model.");
        _options = options;
        _prompts = prompts;
        _variant = variant;
        _logger = logger;
        _model = new ChatModel(options, model ?? options.Model!, logger, stats ?? new MindStats(), cassettes, costs, httpClient, local ? localModel : null);
    }

    public MindStats Stats => _model.Stats;

    public async Task<MindDecision> SynthesiseAsync(SynthesisRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Stats.RecordCall();
        var quant = request.QuantTargets.Select(t => t.Sanitised()).ToArray();
        var anonymiser = PromptAnonymiser.For(request, _options.Anonymise);

        PromptTemplate template;
        RenderedPrompt prompt;
        try
        {
            template = await _prompts.LoadAsync(MetaControllerPrompt.Role, _variant, ct).ConfigureAwait(false);
            prompt = template.Render(MetaControllerPrompt.Values(request, anonymiser, _options.MaxHeadlines));
        }
        catch (PromptTemplateException e)
        {
            return Fallback(request, quant, FallbackReason.PromptError, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Fallback(request, quant, FallbackReason.Cancelled, "cancelled before the call");
        }

        var symbols = quant.Select(t => anonymiser.Symbol(t.Symbol)).ToArray();
        var call = _model.Request(template.Settings, [new ChatTurn("system", prompt.System), new ChatTurn("user", prompt.User)], MindSchemas.MetaController(symbols));
        var (reply, failure, detail) = await _model.AskAsync(MetaControllerPrompt.Role, template.Version, request.DecisionTime, call, ct).ConfigureAwait(false);
        if (failure is { } reason) return Fallback(request, quant, reason, detail, template.Version);

        var (answer, problem) = MindAnswerReader.Read(reply!.Text, symbols);
        if (problem is not null) return Fallback(request, quant, problem.Reason, problem.Detail, template.Version);

        var (targets, bounded) = Bound(quant, answer!, anonymiser);
        if (bounded)
        {
            // Counted and shown in the run's summary; per step it is only debug detail.
            Stats.RecordBounded();
            _logger.LogDebug("LLM mind at {DecisionTime:O}: answer moved a target by more than MaxDeviation {MaxDeviation}; bounded",
                request.DecisionTime, _options.MaxDeviation);
        }
        Stats.RecordSuccess();
        return new MindDecision(request.DecisionTime, targets, anonymiser.Restore(answer!.Rationale), MindSource.Mind, Bounded: bounded)
        {
            PromptVersion = template.Version,
        };
    }

    /// <summary>
    /// Maps the answer back to real symbols and keeps each target within MaxDeviation of the quant target.
    /// This is a soft bound on the mind; the risk grain's limits downstream are the hard ones.
    /// </summary>
    private (AssetTarget[] Targets, bool Bounded) Bound(AssetTarget[] quant, MindAnswer answer, PromptAnonymiser anonymiser)
    {
        var byAlias = answer.Targets.ToDictionary(t => t.Symbol, StringComparer.Ordinal);
        var bounded = false;
        var result = new AssetTarget[quant.Length];
        for (var i = 0; i < quant.Length; i++)
        {
            var mind = byAlias[anonymiser.Symbol(quant[i].Symbol)];
            var direction = Within(quant[i].Direction, mind.Direction, -1, 1, ref bounded);
            var confidence = Within(quant[i].Confidence, mind.Confidence, 0, 1, ref bounded);
            result[i] = new AssetTarget(quant[i].Symbol, direction, confidence);
        }
        return (result, bounded);
    }

    private double Within(double quant, double mind, double min, double max, ref bool bounded)
    {
        const double tolerance = 1e-12;
        var moved = Math.Clamp(mind - quant, -_options.MaxDeviation, _options.MaxDeviation);
        if (Math.Abs(moved - (mind - quant)) > tolerance) bounded = true;
        return Math.Clamp(quant + moved, min, max);
    }

    private MindDecision Fallback(SynthesisRequest request, AssetTarget[] quant, FallbackReason reason, string detail, string? promptVersion = null)
    {
        // Every fallback is counted (the run's summary shows them by reason); the log warns for the first few
        // of each reason, so a dead endpoint is visible at once without a warning on every step.
        var count = Stats.RecordFallback(reason);
        var level = count <= WarningsPerReason ? LogLevel.Warning : LogLevel.Debug;
        _logger.Log(level, "LLM mind at {DecisionTime:O} fell back to the quant decision: {Reason} ({Detail}){More}",
            request.DecisionTime, reason, _model.Scrub(detail), count == WarningsPerReason ? "; further fallbacks of this reason are only counted" : "");
        return new MindDecision(request.DecisionTime, quant,
            $"Quant decision kept ({reason}). {QuantRationale.For(request, quant)}", MindSource.QuantFallback, reason) { PromptVersion = promptVersion };
    }

    public void Dispose() => _model.Dispose();
}
