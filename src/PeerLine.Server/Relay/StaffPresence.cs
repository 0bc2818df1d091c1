using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;

namespace PeerLine.Server.Relay;

/// <summary>
/// Which staff members have a staff-hub connection open, and since when the others have had none, in memory only.
/// A process start counts as everyone leaving at that moment: nobody is taken for long gone after a restart.
/// </summary>
public sealed class StaffPresence(TimeProvider time)
{
    private readonly long _started = time.NowMs();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastLeft = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _connections = new(StringComparer.Ordinal);

    public void Connected(string connectionId, string staffId)
    {
        if (!_connections.TryAdd(connectionId, staffId)) return;
        lock (_gate) _open[staffId] = _open.GetValueOrDefault(staffId) + 1;
    }

    public void Disconnected(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var staffId)) return;
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(staffId) - 1;
            if (open > 0)
            {
                _open[staffId] = open;
                return;
            }
            _open.Remove(staffId);
            _lastLeft[staffId] = time.NowMs();
        }
    }

    /// <summary>Whether <paramref name="staffId"/> has had no staff-hub connection at any time after <paramref name="since"/> (Unix ms).</summary>
    public bool GoneSince(string staffId, long since)
    {
        lock (_gate)
        {
            if (_open.ContainsKey(staffId)) return false;
            return _lastLeft.GetValueOrDefault(staffId, _started) <= since;
        }
    }
}

/// <summary>Feeds <see cref="StaffPresence"/> from the staff hub's connections (a global filter that looks at the staff hub only).</summary>
public sealed class StaffPresenceFilter(StaffPresence presence) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        // A connection the hub turned away (a disabled account) is aborted, not counted.
        if (context.Hub is StaffHub && context.Context.UserIdentifier is { } staffId && !context.Context.ConnectionAborted.IsCancellationRequested)
            presence.Connected(context.Context.ConnectionId, staffId);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            if (context.Hub is StaffHub) presence.Disconnected(context.Context.ConnectionId);
        }
    }
}
