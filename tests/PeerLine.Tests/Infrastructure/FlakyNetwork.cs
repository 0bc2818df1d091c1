using System.Net;
using System.Net.Sockets;

namespace PeerLine.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay between a browser and the server whose "network" can be cut: every open connection is
/// reset and new ones are refused until it is restored. Bounded: it stops with the test.
/// </summary>
public sealed class FlakyNetwork : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private volatile bool _down;

    public FlakyNetwork(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Drops every connection now and refuses new ones.</summary>
    public void Cut()
    {
        _down = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0); // a reset, like a dead link
                client.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try { incoming = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            if (_down) { incoming.Dispose(); continue; }
            _ = RelayAsync(incoming);
        }
    }

    private async Task RelayAsync(TcpClient incoming)
    {
        using var outgoing = new TcpClient();
        try
        {
            await outgoing.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
            lock (_open) { _open.Add(incoming); _open.Add(outgoing); }
            var a = incoming.GetStream().CopyToAsync(outgoing.GetStream(), _stop.Token);
            var b = outgoing.GetStream().CopyToAsync(incoming.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception) { /* the cut, or the end of the test */ }
        finally
        {
            lock (_open) { _open.Remove(incoming); _open.Remove(outgoing); }
            incoming.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        _stop.Dispose();
    }
}
