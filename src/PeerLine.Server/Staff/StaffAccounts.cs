using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Roster;
using PeerLine.Server.Storage;
using PeerLine.Server.Wellbeing;

namespace PeerLine.Server.Staff;

/// <summary>Account administration behind the <c>staff</c> commands (and test set-up).</summary>
public sealed class StaffAccounts(IServiceScopeFactory scopes, AuditTrail audit, ILogger<StaffAccounts> logger)
{
    public sealed record Account(string Login, IReadOnlyList<string> Roles, bool Disabled);

    /// <summary>Creates the four roles if they are missing.</summary>
    public async Task EnsureRolesAsync()
    {
        using var scope = scopes.CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in StaffRoles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
    }

    /// <summary>Adds a login with one role. Returns the reasons it was refused, or none.</summary>
    public async Task<IReadOnlyList<string>> AddAsync(string login, string role, string password)
    {
        if (!StaffRoles.All.Contains(role)) return [$"role must be one of: {string.Join(", ", StaffRoles.All)}"];
        await EnsureRolesAsync();

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByNameAsync(login) is not null) return ["that login exists already"];

        var user = new StaffUser { UserName = login };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return created.Errors.Select(e => e.Description).ToList();
        var assigned = await users.AddToRoleAsync(user, role);
        if (!assigned.Succeeded) return assigned.Errors.Select(e => e.Description).ToList();

        StaffLog.AccountChanged(logger, "added");
        await audit.RecordAsync(new StaffEvent(AuditKinds.StaffAdded, user.Id, "role", role));
        return [];
    }

    /// <summary>Gives a login exactly one role (in place of any it had). Returns the reasons it was refused, or none.</summary>
    public async Task<IReadOnlyList<string>> SetRoleAsync(string login, string role)
    {
        if (!StaffRoles.All.Contains(role)) return [$"role must be one of: {string.Join(", ", StaffRoles.All)}"];
        await EnsureRolesAsync();
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByNameAsync(login) is not { } user) return ["no such login"];
        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role) return [];
        var removed = await users.RemoveFromRolesAsync(user, current);
        if (!removed.Succeeded) return removed.Errors.Select(e => e.Description).ToList();
        var assigned = await users.AddToRoleAsync(user, role);
        if (!assigned.Succeeded) return assigned.Errors.Select(e => e.Description).ToList();
        // Signed-in sessions carry the old roles: they end at the next security-stamp check.
        await users.UpdateSecurityStampAsync(user);

        StaffLog.AccountChanged(logger, "role-changed");
        await audit.RecordAsync(new StaffEvent(AuditKinds.RoleChanged, user.Id, "role", role));
        return [];
    }

    /// <summary>Disables a login: no new sign-in, no new hub connection, off shift at once.</summary>
    public async Task<bool> DisableAsync(string login)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByNameAsync(login);
        if (user is null) return false;

        user.Disabled = true;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        var db = scope.ServiceProvider.GetRequiredService<PeerLineDb>();
        var endedShift = await db.Shifts.Where(s => s.SupporterId == user.Id && s.OnShift)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OnShift, false));
        await ShiftRecords.CloseOpenAsync(db, user.Id,
            scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        var revoked = await scope.ServiceProvider.GetRequiredService<DeviceKeyService>().RevokeAllAsync(user.Id, CancellationToken.None);

        StaffLog.AccountChanged(logger, "disabled");
        await audit.RecordAsync(new StaffEvent(AuditKinds.StaffDisabled, user.Id));
        if (endedShift > 0) await audit.RecordAsync(new StaffEvent(AuditKinds.ShiftEnded, user.Id, "reason", "disabled"));
        if (revoked > 0) await audit.RecordAsync(new StaffEvent(AuditKinds.KeyRevoked, user.Id, "keys", revoked));
        return true;
    }

    /// <summary>Certifies a login's enrolled device keys with the roster key; null when the login does not exist.</summary>
    public async Task<int?> CertifyAsync(string login)
    {
        if (await ActiveUserIdAsync(login) is not { } id) return null;
        // Certificates carry a handle of at most 64 bytes; logins are ASCII by the allowed character set.
        var handle = login.Length <= RosterCertificate.MaxHandleBytes ? login : login[..RosterCertificate.MaxHandleBytes];
        var keys = scopes.CreateScope().ServiceProvider.GetRequiredService<DeviceKeyService>();
        var certified = await keys.CertifyAsync(id, handle, CancellationToken.None);
        StaffLog.AccountChanged(logger, "keys-certified");
        if (certified > 0) await audit.RecordAsync(new StaffEvent(AuditKinds.KeyCertified, id, "keys", certified));
        return certified;
    }

    /// <summary>Offline roster: the login's keys awaiting a certificate; null when the login does not exist.</summary>
    public async Task<List<(string KeyId, byte[] PublicKey)>?> PendingKeysAsync(string login) =>
        await ActiveUserIdAsync(login) is { } id
            ? await scopes.CreateScope().ServiceProvider.GetRequiredService<DeviceKeyService>().PendingAsync(id, CancellationToken.None)
            : null;

    /// <summary>Offline roster: installs a certificate signed with `peerline roster sign`. Returns a refusal, or null.</summary>
    public async Task<string?> InstallCertificateAsync(string login, byte[] certificate)
    {
        if (await ActiveUserIdAsync(login) is not { } id) return "no such active login";
        var keys = scopes.CreateScope().ServiceProvider.GetRequiredService<DeviceKeyService>();
        var refusal = await keys.InstallAsync(id, certificate, CancellationToken.None);
        if (refusal is null)
        {
            StaffLog.AccountChanged(logger, "key-certificate-installed");
            await audit.RecordAsync(new StaffEvent(AuditKinds.KeyCertified, id, "keys", 1));
        }
        return refusal;
    }

    /// <summary>True when the staff id exists and is not disabled.</summary>
    public async Task<bool> IsActiveAsync(string staffUserId)
    {
        using var scope = scopes.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(staffUserId);
        return user is { Disabled: false };
    }

    private async Task<string?> ActiveUserIdAsync(string login)
    {
        using var scope = scopes.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(login);
        return user is null || user.Disabled ? null : user.Id;
    }

    /// <summary>Revokes a login's device keys (a lost device); null when the login does not exist.</summary>
    public async Task<int?> RevokeKeysAsync(string login)
    {
        using var scope = scopes.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(login);
        if (user is null) return null;
        StaffLog.AccountChanged(logger, "keys-revoked");
        var revoked = await scope.ServiceProvider.GetRequiredService<DeviceKeyService>().RevokeAllAsync(user.Id, CancellationToken.None);
        await audit.RecordAsync(new StaffEvent(AuditKinds.KeyRevoked, user.Id, "keys", revoked));
        return revoked;
    }

    public async Task<IReadOnlyList<Account>> ListAsync()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PeerLineDb>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .ToListAsync();
        return users.Select(u => new Account(u.UserName!, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList(), u.Disabled))
            .ToList();
    }
}
