using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.Relay;

/// <summary>
/// A supporter's transport: signs in for a short-lived bearer token (renewed as needed), takes shifts, claims,
/// exchanges ciphertext in several sessions at once, closes and transfers. Survives drops and server restarts.
/// </summary>
public sealed class SupporterRelayClient : RelayConnection
{
    private readonly ConcurrentDictionary<string, string> _roles = new(StringComparer.Ordinal);
    private readonly RelayClientOptions _options;
    private readonly StaffLogin _login;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private string? _token;
    private DateTimeOffset _tokenExpires;

    public SupporterRelayClient(RelayClientOptions options, string login, string password) : base(options, HubRoutes.Staff)
    {
        _options = options;
        _login = new StaffLogin(login, password);
        Connection.On<QueueSnapshot>(nameof(IStaffClient.QueueChanged), s => QueueChanged?.Invoke(s));
        Connection.On<SessionOffer>(nameof(IStaffClient.SessionOffered), o => SessionOffered?.Invoke(o));
        Connection.On<string>(nameof(IStaffClient.OfferWithdrawn), id => OfferWithdrawn?.Invoke(id));
        Connection.On<CallerPresence>(nameof(IStaffClient.CallerPresence), p =>
        {
            Signal(new PresenceSignal(p));
            CallerPresenceChanged?.Invoke(p);
        });
        SessionChanged += OnSessionChanged;
    }

    public event Action<QueueSnapshot>? QueueChanged;
    public event Action<SessionOffer>? SessionOffered;
    public event Action<string>? OfferWithdrawn;

    /// <summary>The caller of an active session this staff member is in went away or came back.</summary>
    public event Action<CallerPresence>? CallerPresenceChanged;

    /// <summary>Signs in and connects; the sessions this supporter already holds are picked up.</summary>
    public async Task<IReadOnlyList<SessionView>> ConnectAsync(CancellationToken ct = default)
    {
        await OpenAsync(ct);
        var held = await RejoinAsync(ct);
        foreach (var view in held) Remember(view);
        Rejoined(held);
        return held;
    }

    public Task<ShiftStatus> StartShiftAsync(int? capacity = null, CancellationToken ct = default) =>
        WithRetryAsync(() => Connection.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), capacity, ct), ct);

    public Task<ShiftStatus> EndShiftAsync(CancellationToken ct = default) =>
        WithRetryAsync(() => Connection.InvokeAsync<ShiftStatus>(nameof(IStaffHub.EndShift), ct), ct);

    public Task<QueueSnapshot> GetQueueAsync(CancellationToken ct = default) =>
        WithRetryAsync(() => Connection.InvokeAsync<QueueSnapshot>(nameof(IStaffHub.GetQueue), ct), ct);

    public Task<SessionView> ClaimNextAsync(CancellationToken ct = default) =>
        TrackedAsync(() => Connection.InvokeAsync<SessionView>(nameof(IStaffHub.ClaimNext), ct), ct);

    public Task<SessionView> ClaimAsync(string sessionId, CancellationToken ct = default) =>
        TrackedAsync(() => Connection.InvokeAsync<SessionView>(nameof(IStaffHub.Claim), sessionId, ct), ct);

    public Task DeclineOfferAsync(string sessionId, CancellationToken ct = default) =>
        WithRetryAsync(() => Connection.InvokeAsync(nameof(IStaffHub.DeclineOffer), sessionId, ct), ct);

    /// <summary>Records that a resource card of this kind (a ResourceKinds code) was sent in the session, end to end.</summary>
    public Task ShareResourceAsync(string sessionId, string kind, CancellationToken ct = default) =>
        WithRetryAsync(() => Connection.InvokeAsync(nameof(IStaffHub.ShareResource), sessionId, kind, ct), ct);

    /// <summary>Sends an envelope sealed and kept for <paramref name="seq"/> under relay message id <paramref name="relayId"/>.</summary>
    public Task SendSealedAsync(string sessionId, Guid relayId, long seq, byte[] envelope, CancellationToken ct = default) =>
        SendSealedAsync(sessionId, nameof(IStaffHub.SendCiphertext), relayId, seq, envelope, ct);

    public Task<long> SendAsync(string sessionId, byte[] ciphertext, CancellationToken ct = default) =>
        SendAsync(sessionId, nameof(IStaffHub.SendCiphertext), ciphertext, ct);

    /// <summary>Sends ciphertext sealed for the sequence number it will travel under.</summary>
    public Task<long> SendAsync(string sessionId, Func<long, byte[]> seal, CancellationToken ct = default) =>
        SendAsync(sessionId, nameof(IStaffHub.SendCiphertext), seal, ct);

    /// <summary>Uploads this device's X25519 public key; answers its status (a DeviceKeyStatuses code) and certificate.</summary>
    public async Task<(string Status, byte[]? Certificate)> EnrollDeviceKeyAsync(byte[] publicKey, CancellationToken ct = default)
    {
        using var http = await AuthorizedHttpAsync(ct);
        using var response = await http.PostAsJsonAsync("/api/staff/device-key", new { publicKey = Convert.ToBase64String(publicKey) }, ct);
        if (!response.IsSuccessStatusCode) throw new RelayException(ErrorCodes.InvalidArgument);
        var answer = await response.Content.ReadFromJsonAsync<DeviceKeyAnswer>(ct) ?? throw new RelayException(ErrorCodes.Internal);
        return (answer.Status, answer.Certificate is null ? null : Convert.FromBase64String(answer.Certificate));
    }

    /// <summary>The server version, from /api/version.</summary>
    public async Task<string> ServerVersionAsync(CancellationToken ct = default)
    {
        using var http = await AuthorizedHttpAsync(ct);
        return (await http.GetFromJsonAsync<VersionAnswer>("/api/version", ct))?.Version ?? "unknown";
    }

    private async Task<HttpClient> AuthorizedHttpAsync(CancellationToken ct)
    {
        var token = await TokenAsync(ct);
        var http = _options.HttpHandlerFactory is { } f ? new HttpClient(f()) : new HttpClient();
        http.BaseAddress = _options.Server;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private sealed record DeviceKeyAnswer(string KeyId, string Status, string? Certificate);
    private sealed record VersionAnswer(string Version);

    public async Task CloseAsync(string sessionId, string disposition, CancellationToken ct = default)
    {
        await WithRetryAsync(() => Connection.InvokeAsync(nameof(IStaffHub.CloseSession), sessionId, disposition, ct), ct);
        Forget(sessionId);
    }

    /// <summary>To the named supporter on shift, or back to the queue when <paramref name="toLogin"/> is null.</summary>
    public async Task TransferAsync(string sessionId, string? toLogin, CancellationToken ct = default)
    {
        await WithRetryAsync(() => Connection.InvokeAsync(nameof(IStaffHub.Transfer), sessionId, toLogin, ct), ct);
        Forget(sessionId);
    }

    /// <summary>Picks up sessions handed to this supporter (after a TransferredToYou change).</summary>
    public async Task<IReadOnlyList<SessionView>> RefreshSessionsAsync(CancellationToken ct = default)
    {
        var held = await WithRetryAsync(() => RejoinAsync(ct), ct);
        foreach (var view in held) Remember(view);
        Rejoined(held);
        return held;
    }

    /// <summary>Whether this staff member is in the session as a lead the caller let in (not as its supporter).</summary>
    public bool IsLead(string sessionId) => _roles.TryGetValue(sessionId, out var role) && role == SessionRoles.Lead;

    /// <summary>Asks the caller whether this lead (on shift) may join; the answer comes as SessionChanged (lead-joined or lead-declined).</summary>
    public Task InviteLeadAsync(string sessionId, string leadLogin, CancellationToken ct = default) =>
        WithRetryAsync(() => Connection.InvokeAsync(nameof(IStaffHub.InviteLead), sessionId, leadLogin, ct), ct);

    /// <summary>As a lead: leaves a session joined with the caller's consent.</summary>
    public async Task LeaveSessionAsync(string sessionId, CancellationToken ct = default)
    {
        await WithRetryAsync(() => Connection.InvokeAsync(nameof(IStaffHub.LeaveSession), sessionId, ct), ct);
        Forget(sessionId);
    }

    private void Remember(SessionView view)
    {
        _roles[view.SessionId] = view.Role;
        Track(view);
    }

    protected override void Rejoined(IReadOnlyList<SessionView> views)
    {
        foreach (var view in views) _roles[view.SessionId] = view.Role;
        Signal(new HeldSessionsSignal(views.Select(v => v.SessionId).ToList()));
    }

    private void OnSessionChanged(SessionChange change)
    {
        // A colleague handed this supporter a session, or a caller let this lead in: pick it up (and what the caller
        // already wrote) off the receive path.
        if (change.Reason is ChangeReasons.TransferredToYou or ChangeReasons.LeadJoined) _ = Task.Run(() => RefreshSessionsAsync());
    }

    protected override void ConfigureConnection(HttpConnectionOptions options) =>
        options.AccessTokenProvider = () => TokenAsync(CancellationToken.None)!;

    protected override async Task<IReadOnlyList<SessionView>> RejoinAsync(CancellationToken ct) =>
        await Connection.InvokeAsync<IReadOnlyList<SessionView>>(nameof(IStaffHub.Resume), ct);

    protected override string AcknowledgeMethod => nameof(IStaffHub.Acknowledge);

    private async Task<SessionView> TrackedAsync(Func<Task<SessionView>> claim, CancellationToken ct)
    {
        var view = await WithRetryAsync(claim, ct);
        Remember(view);
        return view;
    }

    private async Task<string?> TokenAsync(CancellationToken ct)
    {
        await _tokenLock.WaitAsync(ct);
        try
        {
            if (_token is not null && DateTimeOffset.UtcNow < _tokenExpires) return _token;
            using var http = _options.HttpHandlerFactory is { } f ? new HttpClient(f()) : new HttpClient();
            http.BaseAddress = _options.Server;
            using var response = await http.PostAsJsonAsync("/api/staff/token", _login, ct);
            if (!response.IsSuccessStatusCode)
                throw new RelayException(response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => ErrorCodes.InvalidCredentials,
                    HttpStatusCode.TooManyRequests => ErrorCodes.RateLimited,
                    _ => ErrorCodes.Unavailable,
                });
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(ct)
                ?? throw new RelayException(ErrorCodes.InvalidCredentials);
            _token = token.AccessToken;
            // Renew a minute early so a reconnect never presents a token that expires on the way.
            _tokenExpires = DateTimeOffset.UtcNow.AddSeconds(Math.Max(0, token.ExpiresIn - 60));
            return _token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private sealed record TokenResponse(string AccessToken, long ExpiresIn);
}
