namespace PeerLine.Server.Abuse;

/// <summary>
/// The request's source as keyed hashes (an HttpContext feature): under the key of <see cref="Generation"/> and under
/// the one before it, so counts made under the previous key carry over. The address itself is gone by then.
/// </summary>
public sealed record CallerSource(long Generation, UInt128 Id, UInt128? PreviousId);
