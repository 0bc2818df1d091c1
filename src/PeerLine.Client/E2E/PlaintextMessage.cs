using System.Text;

namespace PeerLine.Client.E2E;

/// <summary>A decrypted message as the application sees it.</summary>
/// <param name="MessageId">The end-to-end message id the sender chose (the same if it had to be sealed again).</param>
public sealed record PlaintextMessage(string SessionId, long Seq, Guid MessageId, byte[] Content, bool FromLead = false)
{
    public string Text => Encoding.UTF8.GetString(Content);
}

/// <summary>Why a client would not start or continue a secure channel.</summary>
public sealed class SecureChannelException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
