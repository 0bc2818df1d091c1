using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.E2E;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.E2E;

/// <summary>The caller's ordered receive path: envelopes, receipts, changes and views, one at a time, in arrival order.</summary>
public sealed partial class CallerClient
{
    private const string Unreadable = "rejected-message";

    private async Task OnEnvelopeAsync(ReceivedMessage message)
    {
        await _hasSession.Task;
        if (_ended || message.SessionId != _record!.SessionId) return;
        var lead = message.FromLead;
        var lane = lead ? _lead! : _supporter!;
        if (Envelope.IsRestartRequest(message.Ciphertext)) await OnRestartRequestAsync(lane, lead, message.Seq);
        else if (!Envelope.TryUnwrap(message.Ciphertext, out var type, out _))
        {
            ChannelRefused?.Invoke(Unreadable);
            await MarkHandledAsync(lane, message.Seq);
        }
        else if (type == EnvelopeType.Handshake) await OnHandshakeReplyAsync(lane, lead, message);
        else await OnTransportAsync(lane, lead, message);
    }

    /// <summary>Message 2 of the handshake under way: tried on a copy, so a stale reply (for an earlier attempt) spoils nothing.</summary>
    private async Task OnHandshakeReplyAsync(ConversationLane lane, bool lead, ReceivedMessage message)
    {
        string? code = null;
        await _gate.WaitAsync();
        try
        {
            if (message.Seq <= lane.Record.LastOpenedSeq) return;
            lane.Record.LastOpenedSeq = message.Seq;
            if (lane.Record.Handshake is { } recipe
                && Handshakes.FinishAsCaller(_record!.SessionId, PartyOf(lead), recipe, _episodeKey, message.Ciphertext, message.Seq) is { } done)
            {
                lane.AddWire(done.Message3);
                lane.Establish(done.Channel); // R5: what waited is sealed again under the new channel, after message 3
                code = done.Channel.SafetyCode;
            }
            await SaveAsync();
            lane.Kick();
        }
        finally
        {
            _gate.Release();
        }
        if (code is not null) (lead ? _leadEstablished : _established).TrySetResult(code);
    }

    /// <summary>R2: open (current channel, then the previous one), keep, hand over, and only then return (acknowledge).</summary>
    private async Task OnTransportAsync(ConversationLane lane, bool lead, ReceivedMessage message)
    {
        PlaintextMessage? shown = null;
        await _gate.WaitAsync();
        try
        {
            var (outcome, id, content) = lane.Open(message.Ciphertext, message.Seq);
            if (outcome == OpenOutcome.Redelivered) return;
            if (outcome == OpenOutcome.Message)
            {
                lane.Record.LastOpenedSeq = message.Seq;
                if (!lane.Record.Seen.Contains(id))
                {
                    lane.Record.Seen.Add(id);
                    lane.Record.Unshown.Add(new UnshownMessage { Seq = message.Seq, MessageId = id, Content = content! });
                    shown = new PlaintextMessage(message.SessionId, message.Seq, id, content!, lead);
                }
                await SaveAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
        if (shown is not null) await ShowAsync(lane, shown);
        else if (lane.Record.LastOpenedSeq < message.Seq) await OnUnreadableAsync(lane, lead, message.Seq);
    }

    /// <summary>
    /// R3: sealed for a channel this side does not have. With no channel, a new handshake starts, and the envelope is
    /// acknowledged only once message 1 is stored, so the staff member learns of the new channel before the receipt.
    /// </summary>
    private async Task OnUnreadableAsync(ConversationLane lane, bool lead, long seq)
    {
        ChannelRefused?.Invoke(Unreadable);
        Task<bool>? message1Stored = null;
        bool start;
        await _gate.WaitAsync();
        try
        {
            start = lane.Record.Handshake is null && IsOpen(lead);
            if (lane.Record.Handshake is { } recipe) message1Stored = lane.WhenSent(recipe.Message1Seq);
        }
        finally
        {
            _gate.Release();
        }
        if (start) message1Stored = await StartHandshakeAsync(lead, lead ? 0 : await CurrentHolderAsync());
        if (message1Stored is not null) await message1Stored;
        await MarkHandledAsync(lane, seq);
    }

    /// <summary>The staff side lost its channel: a new handshake (a handshake already under way is the answer).</summary>
    private async Task OnRestartRequestAsync(ConversationLane lane, bool lead, long seq)
    {
        bool start;
        await _gate.WaitAsync();
        try
        {
            if (seq <= lane.Record.LastOpenedSeq) return;
            start = lane.Channel is not null || (lane.Record.Handshake is null && IsOpen(lead));
        }
        finally
        {
            _gate.Release();
        }
        // Started (and kept) before the request is marked handled: a restart in between asks again.
        if (start) await StartHandshakeAsync(lead, lead ? 0 : await CurrentHolderAsync());
        await MarkHandledAsync(lane, seq);
    }

    private async Task ShowAsync(ConversationLane lane, PlaintextMessage message)
    {
        if (MessageReceived is { } handler) await handler(message);
        await _gate.WaitAsync();
        try
        {
            lane.Record.Unshown.RemoveAll(u => u.MessageId == message.MessageId);
            await SaveAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After a restart: what was kept but not yet handed to the application goes first.</summary>
    private async Task HandOverUnshownAsync(ConversationLane lane, bool lead)
    {
        List<UnshownMessage> pending;
        await _gate.WaitAsync();
        try
        {
            pending = [.. lane.Record.Unshown];
        }
        finally
        {
            _gate.Release();
        }
        foreach (var kept in pending)
            await ShowAsync(lane, new PlaintextMessage(_record!.SessionId, kept.Seq, kept.MessageId, kept.Content, lead));
    }

    private async Task MarkHandledAsync(ConversationLane lane, long seq)
    {
        await _gate.WaitAsync();
        try
        {
            if (seq <= lane.Record.LastOpenedSeq) return;
            lane.Record.LastOpenedSeq = seq;
            await SaveAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task OnSignalAsync(RelaySignal signal)
    {
        await _hasSession.Task;
        if (_ended || signal.SessionId != _record!.SessionId) return;
        switch (signal)
        {
            case ViewSignal view:
                await OnViewAsync(view.View);
                break;
            case ReceiptSignal receipt:
                await OnReceiptAsync(receipt.Receipt.UpToSeq, receipt.FromLead);
                break;
            case ChangeSignal change:
                await OnChangeAsync(change.Change);
                break;
        }
    }

    /// <summary>R4, from a receipt.</summary>
    private async Task OnReceiptAsync(long upToSeq, bool lead)
    {
        List<Guid> delivered;
        await _gate.WaitAsync();
        try
        {
            delivered = (lead ? _lead! : _supporter!).Receipt(upToSeq);
            if (delivered.Count > 0) await SaveAsync();
        }
        finally
        {
            _gate.Release();
        }
        foreach (var id in delivered) Delivered?.Invoke(id);
    }

    private async Task OnChangeAsync(SessionChange change)
    {
        if (change.State is not (SessionStates.Active or SessionStates.Waiting))
        {
            await EndConversationAsync();
            return;
        }
        if (change.Reason == ChangeReasons.LeadLeft)
        {
            await EndLeadLaneAsync();
            return;
        }
        // Only a lead this caller agreed to: a "lead joined" without the caller's yes opens nothing.
        if (change.Reason == ChangeReasons.LeadJoined && _record?.LeadConsent != true) return;
        // Claimed, transferred, back in the queue, a lead let in: the view (next on this path) says what to do.
        await RefreshAsync();
    }

    /// <summary>R5/R6 from a view: resend, start over, start a handshake for a new holder, wait in the queue, take receipts.</summary>
    private async Task OnViewAsync(SessionView view)
    {
        _view = view;
        if (view.State is not (SessionStates.Active or SessionStates.Waiting))
        {
            await EndConversationAsync();
            return;
        }
        List<Guid> delivered = [];
        List<Guid> leadUndelivered = [];
        bool handshake = false, leadHandshake = false;
        await _gate.WaitAsync();
        try
        {
            var lane = _supporter!;
            var fresh = lane.Confirm(view.LastSentSeq);
            if (view.State == SessionStates.Waiting)
            {
                if (lane.Channel is not null || lane.Record.Handshake is not null || lane.Halted || !fresh)
                {
                    lane.DropUnsent(view.LastSentSeq, keepAsPrevious: true); // nothing is taken while waiting
                    ResetEstablished(lead: false);
                }
            }
            else
            {
                if (!fresh || lane.Halted)
                {
                    // R6: the server holds more than this side sealed (older kept state), or refused our numbering.
                    lane.DropUnsent(view.LastSentSeq, keepAsPrevious: true);
                    handshake = true;
                }
                else if ((lane.Channel is null && lane.Record.Handshake is null) || lane.Record.Holder != view.Holder)
                {
                    handshake = true;
                }
                if (!handshake && lane.Channel is not null) delivered.AddRange(lane.Receipt(view.PeerReceivedSeq));
            }

            if (view.Lead is { } leadView)
            {
                var leadFresh = _lead!.Confirm(leadView.LastSentSeq);
                if (!leadView.Joined)
                {
                    if (_lead.Channel is not null || _lead.Record.Handshake is not null || _lead.Record.Outbox.Count > 0)
                        leadUndelivered = EndLeadLane();
                }
                else if (_record!.LeadConsent && view.State == SessionStates.Active)
                {
                    if (!leadFresh || _lead.Halted)
                    {
                        _lead.DropUnsent(leadView.LastSentSeq, keepAsPrevious: true);
                        leadHandshake = true;
                    }
                    else if (_lead.Channel is null && _lead.Record.Handshake is null)
                    {
                        leadHandshake = true;
                    }
                    if (!leadHandshake && _lead.Channel is not null) delivered.AddRange(_lead.Receipt(leadView.PeerReceivedSeq));
                }
            }
            await SaveAsync();
            lane.Kick();
            _lead!.Kick();
        }
        finally
        {
            _gate.Release();
        }
        foreach (var id in delivered) Delivered?.Invoke(id);
        foreach (var id in leadUndelivered) NotDelivered?.Invoke(id);
        if (handshake) await StartHandshakeAsync(lead: false, view.Holder);
        if (leadHandshake) await StartHandshakeAsync(lead: true, 0);
    }

    /// <summary>
    /// Starts a new handshake with whoever holds the session now (or the lead): checks the certificate against the
    /// pinned roster key and the served revocations, gives up the current channel (R5), keeps the attempt and its
    /// first message (R1). Returns a task that completes when the server holds message 1; null when refused.
    /// </summary>
    private async Task<Task<bool>?> StartHandshakeAsync(bool lead, int holder)
    {
        byte[] certificate;
        try
        {
            certificate = lead ? await _relay.LeadCertificateAsync() : await _relay.SupporterCertificateAsync();
            _trust.Revoke(await _relay.RevokedKeyIdsAsync());
        }
        catch (RelayException e)
        {
            ChannelRefused?.Invoke(e.Code);
            return null;
        }
        catch (HttpRequestException)
        {
            ChannelRefused?.Invoke(ErrorCodes.Unavailable);
            return null;
        }
        var verdict = _trust.Check(certificate, out var parsed);
        if (verdict != CertificateVerdict.Trusted)
        {
            ChannelRefused?.Invoke(verdict.ToString());
            return null;
        }

        await _gate.WaitAsync();
        try
        {
            var lane = lead ? _lead! : _supporter!;
            if (_ended || lane.Ended) return null;
            lane.Abandon(keepAsPrevious: true);
            var (recipe, message1) = Handshakes.StartAsCaller(_record!.SessionId, PartyOf(lead), parsed!.StaticKey, _episodeKey, holder);
            recipe.Message1Seq = lane.AddWire(message1);
            lane.Record.Handshake = recipe;
            lane.Record.Holder = holder;
            await SaveAsync();
            lane.Kick();
            ResetEstablished(lead);
            return lane.WhenSent(recipe.Message1Seq);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EndLeadLaneAsync()
    {
        List<Guid> undelivered;
        await _gate.WaitAsync();
        try
        {
            undelivered = EndLeadLane();
            await SaveAsync();
        }
        finally
        {
            _gate.Release();
        }
        foreach (var id in undelivered) NotDelivered?.Invoke(id);
    }

    /// <summary>R7 for the lane with the lead (the lead left): a fresh lane follows for a next lead, numbering on. Under the gate.</summary>
    private List<Guid> EndLeadLane()
    {
        var old = _lead!;
        var undelivered = old.End();
        var next = new LaneRecord { LastSealedSeq = old.ConfirmedSeq, LastOpenedSeq = old.Record.LastOpenedSeq, Seen = old.Record.Seen };
        _record!.Lead = next;
        _lead = NewLane(next, lead: true);
        ResetEstablished(lead: true);
        return undelivered;
    }

    /// <summary>Refreshes the view (it follows on the ordered path); a session that is gone ends the conversation.</summary>
    private async Task RefreshAsync()
    {
        try
        {
            await _relay.RefreshViewAsync();
        }
        catch (RelayException e) when (e.Code == ErrorCodes.NotFound)
        {
            await EndConversationAsync();
        }
    }

    private async Task<int> CurrentHolderAsync()
    {
        try
        {
            return (await _relay.RefreshViewAsync()).Holder;
        }
        catch (RelayException)
        {
            return _view?.Holder ?? 0;
        }
    }

    /// <summary>Whether a handshake could be answered now: the session is active (or the lead is in it, with consent).</summary>
    private bool IsOpen(bool lead) =>
        _view?.State == SessionStates.Active && (!lead || (_record!.LeadConsent && _view.Lead?.Joined == true));

    private void ResetEstablished(bool lead)
    {
        if (lead && _leadEstablished.Task.IsCompleted) _leadEstablished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!lead && _established.Task.IsCompleted) _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static Party PartyOf(bool lead) => lead ? Party.Lead : Party.Supporter;
}
