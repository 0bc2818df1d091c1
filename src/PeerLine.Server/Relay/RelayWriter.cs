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
/// Group commit for ciphertext: sends from every connection queue here, one loop writes them in batches (one
/// transaction, one round of sequence checks), answers each sender once its message is durable, and only then
/// pushes it to the recipient. A sequence number at or below the last accepted one is a duplicate: acknowledged,
/// not stored again.
/// </summary>
public sealed class RelayWriter(
    IDbContextFactory<PeerLineDb> dbs,
    ClientPush push,
    IOptions<RelayOptions> options,
    ILogger<RelayWriter> logger) : BackgroundService
{
    private readonly Channel<PendingSend> _queue = Channel.CreateBounded<PendingSend>(
        new BoundedChannelOptions(options.Value.WriteQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>The sender: the caller (already proven by the hub) or the supporter id that must own the session.</summary>
    public async Task SubmitAsync(string sessionId, Direction direction, string? supporterId, Guid messageId, long seq, byte[]? ciphertext, CancellationToken ct)
    {
        if (ciphertext is null || ciphertext.Length == 0 || seq < 1 || messageId == Guid.Empty)
            throw new PeerLineException(ErrorCodes.InvalidArgument);
        if (ciphertext.Length > options.Value.MaxCiphertextBytes) throw new PeerLineException(ErrorCodes.TooLarge);

        var send = new PendingSend(new RelayEnvelope(sessionId, messageId, seq, ciphertext), direction, supporterId);
        try
        {
            await _queue.Writer.WriteAsync(send, ct);
        }
        catch (ChannelClosedException)
        {
            // Shutting down: nothing stored, the sender retries against the next process.
            throw new PeerLineException(ErrorCodes.Unavailable);
        }
        var refusal = await send.Outcome.Task.WaitAsync(ct);
        if (refusal is not null) throw new PeerLineException(refusal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingSend>(options.Value.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var send)) batch.Add(send);
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Nothing was stored for these: the senders retry after reconnecting.
            _queue.Writer.TryComplete();
            foreach (var send in batch) send.Outcome.TrySetResult(ErrorCodes.Unavailable);
            while (_queue.Reader.TryRead(out var send)) send.Outcome.TrySetResult(ErrorCodes.Unavailable);
        }
    }

    private async Task WriteAsync(List<PendingSend> batch, CancellationToken ct)
    {
        Dictionary<string, SupportSession> sessions;
        List<(PendingSend Send, string? Supporter)> accepted = [];
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var ids = batch.Select(b => b.Envelope.SessionId).Distinct().ToList();
            sessions = await db.Sessions.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);

            foreach (var send in batch)
            {
                var verdict = Judge(send, sessions.GetValueOrDefault(send.Envelope.SessionId));
                if (verdict == Verdict.Accept)
                {
                    var session = sessions[send.Envelope.SessionId];
                    if (send.Direction == Direction.CallerToSupporter) session.CallerSentSeq = send.Envelope.Seq;
                    else session.SupporterSentSeq = send.Envelope.Seq;
                    db.Messages.Add(new RelayMessage
                    {
                        SessionId = send.Envelope.SessionId,
                        Direction = send.Direction,
                        Seq = send.Envelope.Seq,
                        MessageId = send.Envelope.MessageId,
                        Ciphertext = send.Envelope.Ciphertext,
                    });
                    accepted.Add((send, session.SupporterId));
                }
                send.Verdict = verdict;
            }
            foreach (var send in batch.Where(b => b.Verdict == Verdict.Duplicate))
                if (await HeldUnderAnotherIdAsync(db, send, accepted, ct)) send.Verdict = Verdict.Conflict;
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A concurrent close or transfer changed a session under us: nothing of this batch was stored; senders retry.
            RelayLog.BatchFailed(logger, batch.Count, e.GetType().Name);
            foreach (var send in batch) send.Outcome.TrySetResult(ErrorCodes.Unavailable);
            return;
        }

        foreach (var send in batch) send.Outcome.TrySetResult(RefusalOf(send.Verdict));
        RelayLog.BatchCommitted(logger, accepted.Count, batch.Count(b => b.Verdict == Verdict.Duplicate), batch.Count(b => RefusalOf(b.Verdict) is not null));

        try
        {
            await Task.WhenAll(accepted.Select(a => push.Deliver(a.Send.Envelope, a.Send.Direction, a.Supporter)));
        }
        catch (Exception e)
        {
            // Stored anyway: the recipient gets it on its next resume.
            RelayLog.PushFailed(logger, e.GetType().Name);
        }
    }

    /// <summary>
    /// A retry must repeat the message id of its sequence number. While the first copy is still stored (or in this
    /// batch) a different id under the same number is refused rather than silently dropped.
    /// </summary>
    private static async Task<bool> HeldUnderAnotherIdAsync(PeerLineDb db, PendingSend send, List<(PendingSend Send, string? Supporter)> batch, CancellationToken ct)
    {
        var e = send.Envelope;
        var inBatch = batch.FirstOrDefault(a => a.Send.Envelope.SessionId == e.SessionId && a.Send.Direction == send.Direction && a.Send.Envelope.Seq == e.Seq);
        if (inBatch.Send is not null) return inBatch.Send.Envelope.MessageId != e.MessageId;
        var stored = await db.Messages.Where(m => m.SessionId == e.SessionId && m.Direction == send.Direction && m.Seq == e.Seq)
            .Select(m => (Guid?)m.MessageId).FirstOrDefaultAsync(ct);
        return stored is { } id && id != e.MessageId;
    }

    private static Verdict Judge(PendingSend send, SupportSession? session)
    {
        if (session is null) return Verdict.NotFound;
        if (send.Direction == Direction.SupporterToCaller && session.SupporterId != send.SupporterId) return Verdict.NotAllowed;
        if (session.State != SessionState.Active) return Verdict.WrongState;

        var last = send.Direction == Direction.CallerToSupporter ? session.CallerSentSeq : session.SupporterSentSeq;
        if (send.Envelope.Seq <= last) return Verdict.Duplicate;
        return send.Envelope.Seq == last + 1 ? Verdict.Accept : Verdict.Gap;
    }

    private static string? RefusalOf(Verdict verdict) => verdict switch
    {
        Verdict.Accept or Verdict.Duplicate => null,
        Verdict.NotFound => ErrorCodes.NotFound,
        Verdict.NotAllowed => ErrorCodes.NotAllowed,
        Verdict.Conflict => ErrorCodes.InvalidArgument,
        Verdict.WrongState => ErrorCodes.WrongState,
        _ => ErrorCodes.SequenceGap,
    };

    private enum Verdict { Pending, Accept, Duplicate, Conflict, NotFound, NotAllowed, WrongState, Gap }

    private sealed class PendingSend(RelayEnvelope envelope, Direction direction, string? supporterId)
    {
        public RelayEnvelope Envelope { get; } = envelope;
        public Direction Direction { get; } = direction;
        public string? SupporterId { get; } = supporterId;
        public Verdict Verdict { get; set; }
        public TaskCompletionSource<string?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
