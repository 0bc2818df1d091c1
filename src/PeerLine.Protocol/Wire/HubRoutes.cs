namespace PeerLine.Protocol.Wire;

/// <summary>
/// Where the two hubs live. The caller hub is anonymous; the staff hub needs a staff login. Their methods are
/// <see cref="ICallerHub"/> and <see cref="IStaffHub"/>; their events <see cref="ICallerClient"/> and <see cref="IStaffClient"/>.
/// </summary>
public static class HubRoutes
{
    public const string Caller = "/hubs/caller";
    public const string Staff = "/hubs/staff";
}
