using Microsoft.SemanticKernel;

namespace AgentFirm.Llm.Local;

/// <summary>
/// The embedded model could not load or answer; the message names the model file and the reason. A
/// <see cref="KernelException"/>, so a Semantic Kernel mind counts a failed answer as a fallback like any
/// other provider's failure.
/// </summary>
public sealed class LocalModelException(string message, Exception? inner = null) : KernelException(message, inner);
