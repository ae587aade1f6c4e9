using System.Net;
using System.Net.Sockets;

namespace AgentFirm.TestSupport;

/// <summary>Free ports on 127.0.0.1 for the loopback servers tests start (no test reaches beyond loopback).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
