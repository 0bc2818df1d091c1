namespace PeerLine.Server.Hubs;

/// <summary>SignalR group names. A caller's group is its session; a supporter's group is its staff id.</summary>
public static class HubGroups
{
    public const string AllStaff = "staff";
    public static string Caller(string sessionId) => "c:" + sessionId;
    public static string Supporter(string staffId) => "s:" + staffId;
}
