using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;

namespace PeerLine.Server.Queue;

/// <summary>Maps wire codes to stored enums and back. Unknown input is refused with a generic code.</summary>
public static class WireCodes
{
    private static readonly Dictionary<string, Topic> TopicsByCode = new(StringComparer.Ordinal)
    {
        [Topics.AdverseEvent] = Topic.AdverseEvent,
        [Topics.PatientDeath] = Topic.PatientDeath,
        [Topics.LitigationOrComplaint] = Topic.LitigationOrComplaint,
        [Topics.Burnout] = Topic.Burnout,
        [Topics.Other] = Topic.Other,
    };

    private static readonly Dictionary<string, Priority> PrioritiesByCode = new(StringComparer.Ordinal)
    {
        [Priorities.Routine] = Priority.Routine,
        [Priorities.Soon] = Priority.Soon,
        [Priorities.Crisis] = Priority.Crisis,
    };

    private static readonly Dictionary<string, Disposition> DispositionsByCode = new(StringComparer.Ordinal)
    {
        [Dispositions.Supported] = Disposition.Supported,
        [Dispositions.ReferredTier3] = Disposition.ReferredTier3,
        [Dispositions.ResourcesShared] = Disposition.ResourcesShared,
        [Dispositions.HandedTo988] = Disposition.HandedTo988,
        [Dispositions.HandedTo911] = Disposition.HandedTo911,
        [Dispositions.CallerLeft] = Disposition.CallerLeft,
        [Dispositions.NotASupportRequest] = Disposition.NotASupportRequest,
        [Dispositions.Other] = Disposition.Other,
    };

    public static Topic ParseTopic(string? code) => Parse(TopicsByCode, code);
    public static Priority ParsePriority(string? code) => Parse(PrioritiesByCode, code);
    public static Disposition ParseDisposition(string? code) => Parse(DispositionsByCode, code);

    public static string Code(this Topic topic) => CodeOf(TopicsByCode, topic);
    public static string Code(this Priority priority) => CodeOf(PrioritiesByCode, priority);
    public static string Code(this Disposition disposition) => CodeOf(DispositionsByCode, disposition);

    public static string Code(this SessionState state) => state switch
    {
        SessionState.Waiting => SessionStates.Waiting,
        SessionState.Active => SessionStates.Active,
        SessionState.Closed => SessionStates.Closed,
        SessionState.Withdrawn => SessionStates.Withdrawn,
        _ => SessionStates.Abandoned,
    };

    private static T Parse<T>(Dictionary<string, T> map, string? code) =>
        code is not null && map.TryGetValue(code, out var value) ? value : throw new PeerLineException(ErrorCodes.InvalidArgument);

    private static string CodeOf<T>(Dictionary<string, T> map, T value) where T : struct, Enum =>
        map.First(pair => EqualityComparer<T>.Default.Equals(pair.Value, value)).Key;
}
