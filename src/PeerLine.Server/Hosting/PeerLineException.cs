namespace PeerLine.Server.Hosting;

/// <summary>An expected refusal with a wire error code (see <see cref="PeerLine.Protocol.Wire.ErrorCodes"/>). Never carries input text.</summary>
public sealed class PeerLineException(string code) : Exception(code)
{
    public string Code { get; } = code;
}
