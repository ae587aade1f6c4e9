using TorchSharp;
using static TorchSharp.torch;

namespace AgentFirm.Models.Deep;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019): p -= lr wd p, then the Adam
/// step with bias-corrected moments. Written here instead of using TorchSharp's optim.AdamW because that one
/// passes temporary Scalars (from doubles) to native calls, and on a long run a garbage collection can free one
/// mid-call ("Unknown scalar type" in div_Scalar, seen in the train bench); here every Scalar is a local held
/// until the step ends.
/// </summary>
internal sealed class DecoupledAdam : IDisposable
{
    private readonly List<(TorchSharp.Modules.Parameter Param, Tensor Mean, Tensor Square)> _state = [];
    private readonly double _lr, _beta1, _beta2, _eps, _weightDecay;
    private long _step;

    public DecoupledAdam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double lr, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        (_lr, _beta1, _beta2, _eps, _weightDecay) = (lr, beta1, beta2, eps, weightDecay);
        foreach (var p in parameters)
            _state.Add((p, zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope()));
    }

    public void Step()
    {
        _step++;
        var bias1 = 1 - Math.Pow(_beta1, _step);
        var bias2 = 1 - Math.Pow(_beta2, _step);
        using var grad = no_grad();
        using Scalar decay = 1 - _lr * _weightDecay;
        using Scalar beta1 = _beta1;
        using Scalar oneMinusBeta1 = 1 - _beta1;
        using Scalar beta2 = _beta2;
        using Scalar oneMinusBeta2 = 1 - _beta2;
        using Scalar unbias2 = 1 / Math.Sqrt(bias2);
        using Scalar eps = _eps;
        using Scalar stepSize = -_lr / bias1;
        foreach (var (p, m, v) in _state)
        {
            var g = p.grad;
            if (g is null) continue;
            p.mul_(decay);
            m.mul_(beta1).add_(g, oneMinusBeta1);
            v.mul_(beta2).addcmul_(g, g, oneMinusBeta2);
            using var root = v.sqrt();
            root.mul_(unbias2).add_(eps);
            p.addcdiv_(m, root, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var (_, m, v) in _state)
        {
            m.Dispose();
            v.Dispose();
        }
    }
}
