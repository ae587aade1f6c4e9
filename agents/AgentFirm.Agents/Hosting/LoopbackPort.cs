using System.Net;
using System.Net.Sockets;

namespace AgentFirm.Agents.Hosting;

public static class LoopbackPort
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
