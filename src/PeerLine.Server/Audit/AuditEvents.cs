using System.Globalization;
using PeerLine.Protocol.Audit;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;

namespace PeerLine.Server.Audit;

/// <summary>
/// The closed set of audit events. Each is a typed record of codes, counts and live ids; the trail turns live ids
/// into pseudonyms (<see cref="AuditKey.Pseudonym"/>) and keeps nothing else.
/// </summary>
public abstract record AuditEvent
{
    public abstract string Kind { get; }

    /// <summary>The record's fields; <paramref name="ids"/> turns a session or staff id into its pseudonym.</summary>
    public abstract Dictionary<string, object> Fields(AuditPseudonyms ids);

    protected static string DispositionCode(Disposition d) => d == Disposition.None ? MetricColumns.NoDisposition : d.Code();
}

public sealed record AuditPseudonyms(Func<string, string> Session, Func<string, string> Staff);

/// <summary>Written when a session is first claimed (a request nobody claimed is only counted, in <see cref="RequestsHourly"/>).</summary>
public sealed record SessionRequested(string SessionId, Topic Topic, Priority Priority, bool Returning) : AuditEvent
{
    public override string Kind => AuditKinds.SessionRequested;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new()
    {
        ["session"] = ids.Session(SessionId), ["topic"] = Topic.Code(), ["priority"] = Priority.Code(), ["returning"] = Returning ? "yes" : "no",
    };
}

/// <summary>The offer a session was first claimed under, written with the claim.</summary>
/// <param name="Offer">"push" (the dispatcher) or "return" (a returning caller's earlier supporter).</param>
public sealed record SessionOffered(string SessionId, string StaffId, string Offer) : AuditEvent
{
    public override string Kind => AuditKinds.SessionOffered;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new()
    {
        ["session"] = ids.Session(SessionId), ["staff"] = ids.Staff(StaffId), ["offer"] = Offer,
    };
}

public sealed record SessionClaimed(string SessionId, string StaffId, long WaitSeconds) : AuditEvent
{
    public override string Kind => AuditKinds.SessionClaimed;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new()
    {
        ["session"] = ids.Session(SessionId), ["staff"] = ids.Staff(StaffId), ["wait-seconds"] = WaitSeconds,
    };
}

/// <param name="ToStaffId">The colleague it went to, or null when it went back to the queue.</param>
public sealed record SessionTransferred(string SessionId, string FromStaffId, string? ToStaffId) : AuditEvent
{
    public override string Kind => AuditKinds.SessionTransferred;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids)
    {
        var fields = new Dictionary<string, object>
        {
            ["session"] = ids.Session(SessionId), ["staff"] = ids.Staff(FromStaffId), ["to"] = ToStaffId is null ? "queue" : "supporter",
        };
        if (ToStaffId is not null) fields["to-staff"] = ids.Staff(ToStaffId);
        return fields;
    }
}

/// <param name="By">"caller" or "supporter".</param>
public sealed record SessionClosed(string SessionId, string By, Disposition Disposition) : AuditEvent
{
    public override string Kind => AuditKinds.SessionClosed;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new()
    {
        ["session"] = ids.Session(SessionId), ["by"] = By, ["disposition"] = DispositionCode(Disposition),
    };
}

/// <summary>The supporter's disposition for a session the caller had already ended ("none" until then).</summary>
public sealed record DispositionRecorded(string SessionId, Disposition Disposition) : AuditEvent
{
    public override string Kind => AuditKinds.DispositionRecorded;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new()
    {
        ["session"] = ids.Session(SessionId), ["disposition"] = DispositionCode(Disposition),
    };
}

/// <summary>A session claimed before, handed back to the queue, that then ended without another claim.</summary>
/// <param name="Reason">"withdrawn" (the caller left the queue) or "away" (gone past the grace period).</param>
public sealed record SessionAbandoned(string SessionId, string Reason) : AuditEvent
{
    public override string Kind => AuditKinds.SessionAbandoned;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new() { ["session"] = ids.Session(SessionId), ["reason"] = Reason };
}

public sealed record ResourceOffered(string SessionId, string ResourceKind) : AuditEvent
{
    public override string Kind => AuditKinds.ResourceOffered;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) =>
        new() { ["session"] = ids.Session(SessionId), ["resource"] = ResourceKind };
}

/// <summary>One crisis alert sent (it may stand for several crisis requests of a window): no session is named.</summary>
public sealed record CrisisAlertRaised(int LeadsAlerted, int Waiting) : AuditEvent
{
    public override string Kind => AuditKinds.CrisisAlert;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) =>
        new() { ["leads"] = (long)LeadsAlerted, ["waiting"] = (long)Waiting };
}

/// <summary>
/// One finished hour of requests, in counts: made (by priority), ended unanswered (withdrawn, abandoned), crisis alerts
/// sent, and the requests waiting when the hour was closed.
/// </summary>
public sealed record RequestsHourly(DateTimeOffset Hour, long Routine, long Soon, long Crisis, long Withdrawn, long Abandoned,
    long CrisisAlerts, long Waiting) : AuditEvent
{
    private const string HourFormat = "yyyy-MM-dd't'HH";

    public override string Kind => AuditKinds.RequestsHourly;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new()
    {
        ["hour"] = HourCode(Hour), ["routine"] = Routine, ["soon"] = Soon, ["crisis"] = Crisis, ["withdrawn"] = Withdrawn,
        ["abandoned"] = Abandoned, ["crisis-alerts"] = CrisisAlerts, ["waiting"] = Waiting,
    };

    /// <summary>An hour as the field holds it, for example <c>2026-11-25t14</c> (UTC).</summary>
    public static string HourCode(DateTimeOffset hour) => hour.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseHour(string? code) =>
        DateTimeOffset.TryParseExact(code, HourFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var hour) ? hour : null;
}

public sealed record LeadJoined(string SessionId, string LeadId) : AuditEvent
{
    public override string Kind => AuditKinds.LeadJoined;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) =>
        new() { ["session"] = ids.Session(SessionId), ["staff"] = ids.Staff(LeadId) };
}

/// <summary>A staff event: the staff member's pseudonym and coded details.</summary>
public sealed record StaffEvent(string EventKind, string StaffId, string? DetailName = null, object? Detail = null) : AuditEvent
{
    public override string Kind => EventKind;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids)
    {
        var fields = new Dictionary<string, object> { ["staff"] = ids.Staff(StaffId) };
        if (DetailName is not null && Detail is not null) fields[DetailName] = Detail is int n ? (long)n : Detail;
        return fields;
    }
}

/// <param name="StaffId">Set when the login names an existing account; an unknown login leaves no trace of what was typed.</param>
public sealed record StaffLoginFailed(string Reason, string? StaffId) : AuditEvent
{
    public override string Kind => AuditKinds.StaffLoginFailed;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids)
    {
        var fields = new Dictionary<string, object> { ["reason"] = Reason };
        if (StaffId is not null) fields["staff"] = ids.Staff(StaffId);
        return fields;
    }
}

/// <summary>Sign-ins refused by the rate limiter since the last such event (one event per checkpointer pass, not per request).</summary>
public sealed record StaffLoginThrottled(long Refused) : AuditEvent
{
    public override string Kind => AuditKinds.StaffLoginThrottled;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new() { ["refused"] = Refused };
}

/// <param name="Via">"cli" or "api"; <paramref name="StaffId"/> is the auditor when through the API.</param>
public sealed record ExportMade(string Via, string? StaffId, long Records) : AuditEvent
{
    public override string Kind => AuditKinds.ExportMade;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids)
    {
        var fields = new Dictionary<string, object> { ["via"] = Via, ["records"] = Records };
        if (StaffId is not null) fields["staff"] = ids.Staff(StaffId);
        return fields;
    }
}

public sealed record RetentionRun(long Sessions, long Resources, long ShiftRecords, long ReturnCodes, long AuditEvents, long KeptFrom) : AuditEvent
{
    public override string Kind => AuditKinds.RetentionRun;
    public override Dictionary<string, object> Fields(AuditPseudonyms ids) => new()
    {
        ["sessions"] = Sessions, ["resources"] = Resources, ["shift-records"] = ShiftRecords, ["return-codes"] = ReturnCodes,
        ["audit-events"] = AuditEvents, [AuditVerifier.KeptFromField] = KeptFrom,
    };
}
