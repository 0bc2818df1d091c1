using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Relay;

/// <summary>
/// Group commit for the relay: sends and acknowledgements from every connection queue here, and one loop applies
/// them in batches (one transaction, one round of checks). A sender is answered once its message is durable and
/// only then is the message pushed to the recipient; an acknowledgement deletes what it covers and tells the sender.
/// A sequence number at or below the last accepted one is a duplicate: answered with success, not stored again.
/// A new message that would take its direction's unacknowledged ciphertext over Relay:MaxHeldMessages or
/// Relay:MaxHeldBytes is refused with held-full; the counts are kept in memory (<see cref="HeldLedger"/>).
/// </summary>
public sealed class RelayWriter(
    IDbContextFactory<PeerLineDb> dbs,
    ClientPush push,
    HeldLedger held,
    IOptions<RelayOptions> options,
    ILogger<RelayWriter> logger) : BackgroundService
{
    private readonly Channel<PendingWork> _queue = Channel.CreateBounded<PendingWork>(
        new BoundedChannelOptions(options.Value.WriteQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>
    /// The sender: the caller (already proven by the hub; <paramref name="direction"/> given), or a staff member
    /// (<paramref name="direction"/> null, <paramref name="staffId"/> set) whose direction follows from their place in the
    /// session: the supporter holding it, or the lead in it.
    /// </summary>
    public Task SendAsync(string sessionId, Direction? direction, string? staffId, Guid messageId, long seq, byte[]? ciphertext, CancellationToken ct)
    {
        if (ciphertext is null || ciphertext.Length == 0 || seq < 1 || messageId == Guid.Empty)
            throw new PeerLineException(ErrorCodes.InvalidArgument);
        if (ciphertext.Length > options.Value.MaxCiphertextBytes) throw new PeerLineException(ErrorCodes.TooLarge);
        return SubmitAsync(new PendingSend(new RelayEnvelope(sessionId, messageId, seq, ciphertext), direction, staffId), ct);
    }

    /// <summary>
    /// The recipient of <paramref name="toward"/> has everything up to <paramref name="upToSeq"/>. For a staff recipient
    /// <paramref name="toward"/> is null and follows from their place in the session, as for sends.
    /// </summary>
    public Task AcknowledgeAsync(string sessionId, Direction? toward, string? staffId, long upToSeq, CancellationToken ct)
    {
        if (upToSeq < 1) throw new PeerLineException(ErrorCodes.InvalidArgument);
        return SubmitAsync(new PendingAck(sessionId, toward, staffId, upToSeq), ct);
    }

    private async Task SubmitAsync(PendingWork work, CancellationToken ct)
    {
        try
        {
            await _queue.Writer.WriteAsync(work, ct);
        }
        catch (ChannelClosedException)
        {
            // Shutting down: nothing applied, the client retries against the next process.
            throw new PeerLineException(ErrorCodes.Unavailable);
        }
        var refusal = await work.Outcome.Task.WaitAsync(ct);
        if (refusal is not null) throw new PeerLineException(refusal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWork>(options.Value.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var work)) batch.Add(work);
                await ApplyAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            foreach (var work in batch) work.Outcome.TrySetResult(ErrorCodes.Unavailable);
            while (_queue.Reader.TryRead(out var work)) work.Outcome.TrySetResult(ErrorCodes.Unavailable);
        }
    }

    private async Task ApplyAsync(List<PendingWork> batch, CancellationToken ct)
    {
        var stored = new List<(PendingSend Send, string? Staff)>();
        var acked = new List<(PendingAck Ack, string? Staff)>();
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var ids = batch.Select(b => b.SessionId).Distinct().ToList();
            var sessions = await db.Sessions.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
            await SeedHeldAsync(db, batch, sessions, ct);

            foreach (var work in batch)
            {
                var session = sessions.GetValueOrDefault(work.SessionId);
                work.Refusal = work switch
                {
                    PendingSend send => Store(db, send, session, stored),
                    PendingAck ack => Acknowledge(ack, session, acked),
                    _ => ErrorCodes.Internal,
                };
            }
            foreach (var send in batch.OfType<PendingSend>().Where(s => s.Duplicate))
                if (await HeldUnderAnotherIdAsync(db, send, stored, ct)) send.Refusal = ErrorCodes.InvalidArgument;

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            foreach (var (ack, _) in acked)
                await db.Messages.Where(m => m.SessionId == ack.SessionId && m.Direction == ack.Resolved && m.Seq <= ack.UpToSeq)
                    .ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A concurrent close or transfer changed a session under us: nothing of this batch was applied; clients retry.
            RelayLog.BatchFailed(logger, batch.Count, e.GetType().Name);
            foreach (var work in batch)
            {
                held.Drop(work.SessionId); // counted as stored or acknowledged, but nothing was
                work.Outcome.TrySetResult(ErrorCodes.Unavailable);
            }
            return;
        }

        foreach (var work in batch) work.Outcome.TrySetResult(work.Refusal);
        RelayLog.BatchCommitted(logger, stored.Count, acked.Count, batch.Count(b => b.Refusal is not null));

        try
        {
            await Task.WhenAll(
                stored.Select(s => push.Deliver(s.Send.Envelope, s.Send.Resolved, s.Staff))
                    .Concat(acked.Select(a => push.Delivered(new DeliveryReceipt(a.Ack.SessionId, a.Ack.UpToSeq), a.Ack.Resolved, a.Staff))));
        }
        catch (Exception e)
        {
            // Already stored: the recipient gets it on its next resume.
            RelayLog.PushFailed(logger, e.GetType().Name);
        }
    }

    /// <summary>
    /// Before the checks: the held counts of every active session a send of this batch goes to, from the database for a
    /// session the ledger does not know yet (one query for all of them); a session no longer active is forgotten.
    /// </summary>
    private async Task SeedHeldAsync(PeerLineDb db, List<PendingWork> batch, Dictionary<string, SupportSession> sessions, CancellationToken ct)
    {
        held.BeginBatch();
        foreach (var session in sessions.Values)
            if (session.State != SessionState.Active) held.Drop(session.Id);
        var unknown = batch.OfType<PendingSend>().Select(s => s.SessionId).Distinct()
            .Where(id => sessions.GetValueOrDefault(id) is { State: SessionState.Active } && !held.Knows(id)).ToList();
        if (unknown.Count == 0) return;
        var stored = await db.Messages.AsNoTracking().Where(m => unknown.Contains(m.SessionId))
            .Select(m => new { m.SessionId, m.Direction, m.Seq, Bytes = m.Ciphertext.Length }).ToListAsync(ct);
        var bySession = stored.ToLookup(m => m.SessionId);
        foreach (var id in unknown) held.Seed(id, bySession[id].Select(m => (m.Direction, m.Seq, m.Bytes)));
    }

    private string? Store(PeerLineDb db, PendingSend send, SupportSession? session, List<(PendingSend, string?)> stored)
    {
        if (session is null) return ErrorCodes.NotFound;
        if (send.Resolve(send.Direction ?? SessionLanes.SentBy(session, send.StaffId!)) is not { } direction) return ErrorCodes.NotAllowed;
        if (session.State != SessionState.Active) return ErrorCodes.WrongState;
        if (SessionLanes.StaffOf(session, direction) is null) return ErrorCodes.WrongState; // no lead in the session

        var seq = send.Envelope.Seq;
        var last = SessionLanes.Sent(session, direction);
        if (seq <= last)
        {
            send.Duplicate = true;
            return null;
        }
        if (seq != last + 1) return ErrorCodes.SequenceGap;
        var bytes = send.Envelope.Ciphertext.Length;
        if (!held.Fits(session.Id, direction, bytes, options.Value.MaxHeldMessages, options.Value.MaxHeldBytes)) return ErrorCodes.HeldFull;

        held.Stored(session.Id, direction, seq, bytes);
        SessionLanes.SetSent(session, direction, seq);
        db.Messages.Add(new RelayMessage
        {
            SessionId = session.Id,
            Direction = direction,
            Seq = seq,
            MessageId = send.Envelope.MessageId,
            Ciphertext = send.Envelope.Ciphertext,
        });
        stored.Add((send, SessionLanes.StaffOf(session, direction)));
        return null;
    }

    private string? Acknowledge(PendingAck ack, SupportSession? session, List<(PendingAck, string?)> acked)
    {
        if (session is null) return ErrorCodes.NotFound;
        if (ack.Resolve(ack.Direction ?? SessionLanes.ReceivedBy(session, ack.StaffId!)) is not { } direction) return ErrorCodes.NotFound;
        if (ack.UpToSeq > SessionLanes.Sent(session, direction)) return ErrorCodes.InvalidArgument;

        held.Acknowledged(session.Id, direction, ack.UpToSeq);
        SessionLanes.SetAcked(session, direction, ack.UpToSeq);
        acked.Add((ack, SessionLanes.StaffOf(session, direction)));
        return null;
    }

    /// <summary>
    /// A retry must repeat the message id of its sequence number. While the first copy is still stored (or in this
    /// batch) a different id under the same number is refused rather than silently dropped.
    /// </summary>
    private static async Task<bool> HeldUnderAnotherIdAsync(
        PeerLineDb db, PendingSend send, List<(PendingSend Send, string? Staff)> batch, CancellationToken ct)
    {
        var e = send.Envelope;
        var inBatch = batch.FirstOrDefault(a => a.Send.SessionId == e.SessionId && a.Send.Resolved == send.Resolved && a.Send.Envelope.Seq == e.Seq);
        if (inBatch.Send is not null) return inBatch.Send.Envelope.MessageId != e.MessageId;
        var held = await db.Messages.Where(m => m.SessionId == e.SessionId && m.Direction == send.Resolved && m.Seq == e.Seq)
            .Select(m => (Guid?)m.MessageId).FirstOrDefaultAsync(ct);
        return held is { } id && id != e.MessageId;
    }

    private abstract class PendingWork(string sessionId, Direction? direction, string? staffId)
    {
        public string SessionId { get; } = sessionId;
        /// <summary>Given for the caller; null for staff until resolved against the session.</summary>
        public Direction? Direction { get; } = direction;
        public string? StaffId { get; } = staffId;
        public Direction Resolved { get; private set; }

        public Direction? Resolve(Direction? direction)
        {
            if (direction is { } d) Resolved = d;
            return direction;
        }

        public string? Refusal { get; set; }
        public TaskCompletionSource<string?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingSend(RelayEnvelope envelope, Direction? direction, string? staffId)
        : PendingWork(envelope.SessionId, direction, staffId)
    {
        public RelayEnvelope Envelope { get; } = envelope;
        public bool Duplicate { get; set; }
    }

    private sealed class PendingAck(string sessionId, Direction? direction, string? staffId, long upToSeq)
        : PendingWork(sessionId, direction, staffId)
    {
        public long UpToSeq { get; } = upToSeq;
    }
}
