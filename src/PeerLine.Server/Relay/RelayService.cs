using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;

using PeerLine.Server.Storage;

namespace PeerLine.Server.Relay;

/// <summary>The recipient's side of the relay: what is still owed to it, and its acknowledgements.</summary>
public sealed class RelayService(IDbContextFactory<PeerLineDb> dbs, RelayWriter writer, ClientPush push)
{
    public Task SendAsync(string sessionId, Direction direction, string? supporterId, Guid messageId, long seq, byte[]? ciphertext, CancellationToken ct) =>
        writer.SubmitAsync(sessionId, direction, supporterId, messageId, seq, ciphertext, ct);

    /// <summary>Everything stored for the recipient of <paramref name="toward"/> in this session, in sequence order.</summary>
    public async Task<List<RelayEnvelope>> PendingAsync(string sessionId, Direction toward, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Messages.AsNoTracking()
            .Where(m => m.SessionId == sessionId && m.Direction == toward)
            .OrderBy(m => m.Seq)
            .Select(m => new RelayEnvelope(m.SessionId, m.MessageId, m.Seq, m.Ciphertext))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Cumulative acknowledgement by the recipient of <paramref name="toward"/>: everything up to and including
    /// <paramref name="upToSeq"/> arrived, so its ciphertext is deleted and the sender is told. A supporter
    /// recipient (<paramref name="supporterId"/>) must hold the session.
    /// </summary>
    public async Task AcknowledgeAsync(string sessionId, Direction toward, string? supporterId, long upToSeq, CancellationToken ct)
    {
        if (upToSeq < 1) throw new PeerLineException(ErrorCodes.InvalidArgument);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.SupporterId, s.CallerSentSeq, s.SupporterSentSeq }).SingleOrDefaultAsync(ct)
            ?? throw new PeerLineException(ErrorCodes.NotFound);
        if (toward == Direction.CallerToSupporter && session.SupporterId != supporterId)
            throw new PeerLineException(ErrorCodes.NotFound);
        var sent = toward == Direction.CallerToSupporter ? session.CallerSentSeq : session.SupporterSentSeq;
        if (upToSeq > sent) throw new PeerLineException(ErrorCodes.InvalidArgument);

        await db.Messages.Where(m => m.SessionId == sessionId && m.Direction == toward && m.Seq <= upToSeq).ExecuteDeleteAsync(ct);
        if (toward == Direction.CallerToSupporter)
            await db.Sessions.Where(s => s.Id == sessionId && s.CallerAckedSeq < upToSeq)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.CallerAckedSeq, upToSeq), ct);
        else
            await db.Sessions.Where(s => s.Id == sessionId && s.SupporterAckedSeq < upToSeq)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.SupporterAckedSeq, upToSeq), ct);

        await push.Delivered(new DeliveryReceipt(sessionId, upToSeq), toward, session.SupporterId);
    }
}

public static class RelayExtensions
{
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RelayWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayWriter>());
        services.AddSingleton<RelayService>();
        return services;
    }
}
