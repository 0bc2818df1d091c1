namespace PeerLine.Server.Escalation;

/// <summary>How to reach a resource; at least one of these is set.</summary>
public sealed record Contact(string? Phone, string? Text, string? Url, string? HowToReach);

/// <summary>
/// One escalation resource, as the operator configured it (directory.json). Tier follows the Scott three-tier model:
/// 1 local/peer first aid, 2 trained peer support and programs, 3 professional and crisis care.
/// </summary>
public sealed record DirectoryEntry(
    string Id,
    string Name,
    string Kind,
    int Tier,
    bool Crisis,
    Contact Contact,
    OpeningHours Hours,
    string HoursText,
    string Cost,
    string Confidentiality,
    string Summary);
