using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PeerLine.Server.Audit;
using PeerLine.Server.Continuity;
using PeerLine.Server.Escalation;
using PeerLine.Server.Metrics;
using PeerLine.Server.Queue;
using PeerLine.Server.Relay;
using PeerLine.Server.Roster;
using PeerLine.Server.Staff;
using PeerLine.Server.Wellbeing;

namespace PeerLine.Server.Storage;

/// <summary>
/// The whole store. Provider-neutral on purpose: times are Unix milliseconds (SQLite cannot order DateTimeOffset),
/// and every race is decided by a conditional UPDATE so several nodes can share one database later.
/// </summary>
public sealed class PeerLineDb(DbContextOptions<PeerLineDb> options) : IdentityDbContext<StaffUser>(options)
{
    public DbSet<SupportSession> Sessions => Set<SupportSession>();
    public DbSet<RelayMessage> Messages => Set<RelayMessage>();
    public DbSet<Shift> Shifts => Set<Shift>();
    public DbSet<DeviceKey> DeviceKeys => Set<DeviceKey>();
    public DbSet<SharedResource> SharedResources => Set<SharedResource>();
    public DbSet<ShiftRecord> ShiftRecords => Set<ShiftRecord>();
    public DbSet<ReturnCode> ReturnCodes => Set<ReturnCode>();
    public DbSet<AuditEventRow> AuditEvents => Set<AuditEventRow>();
    public DbSet<AuditCheckpointRow> AuditCheckpoints => Set<AuditCheckpointRow>();
    public DbSet<FeedbackCount> FeedbackCounts => Set<FeedbackCount>();
    public DbSet<RequestCount> RequestCounts => Set<RequestCount>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<SupportSession>(e =>
        {
            e.HasKey(s => s.Number);
            e.Property(s => s.Id).HasMaxLength(32).IsRequired();
            e.HasIndex(s => s.Id).IsUnique();
            e.HasIndex(s => new { s.State, s.Priority, s.Returned, s.Number });
            e.HasIndex(s => new { s.SupporterId, s.State });
            e.Property(s => s.CallerSecretHash).HasMaxLength(32);
            e.Property(s => s.SupporterId).HasMaxLength(64);
            e.Property(s => s.OfferedTo).HasMaxLength(64);
            e.Property(s => s.LastOfferedTo).HasMaxLength(64);
            // Read-modify-write paths fail instead of overwriting a concurrent claim, close, transfer or send.
            e.Property(s => s.State).IsConcurrencyToken();
            e.Property(s => s.SupporterId).IsConcurrencyToken();
            e.Property(s => s.CallerSentSeq).IsConcurrencyToken();
            e.Property(s => s.SupporterSentSeq).IsConcurrencyToken();
        });

        builder.Entity<RelayMessage>(e =>
        {
            e.HasKey(m => m.Number);
            e.Property(m => m.SessionId).HasMaxLength(32);
            e.HasIndex(m => new { m.SessionId, m.Direction, m.Seq }).IsUnique();
        });

        builder.Entity<SharedResource>(e =>
        {
            e.HasKey(r => r.Number);
            e.Property(r => r.SessionId).HasMaxLength(32);
            e.Property(r => r.Kind).HasMaxLength(40);
            e.HasIndex(r => r.SessionId);
        });

        builder.Entity<ShiftRecord>(e =>
        {
            e.HasKey(r => r.Number);
            e.Property(r => r.SupporterId).HasMaxLength(64);
            e.HasIndex(r => new { r.SupporterId, r.EndedAt });
        });

        builder.Entity<ReturnCode>(e =>
        {
            e.HasKey(r => r.Number);
            e.Property(r => r.Tag).HasMaxLength(32);
            e.HasIndex(r => r.Tag).IsUnique();
            e.Property(r => r.SupporterId).HasMaxLength(64);
        });

        builder.Entity<AuditEventRow>(e =>
        {
            // The chain decides the seq: two writers racing for the same one collide here, and the loser retries.
            e.HasKey(r => r.Seq);
            e.Property(r => r.Seq).ValueGeneratedNever();
            e.Property(r => r.Kind).HasMaxLength(40);
            e.Property(r => r.Fields).HasMaxLength(2048);
            e.HasIndex(r => r.At);
            e.HasIndex(r => new { r.Kind, r.At });
        });

        builder.Entity<AuditCheckpointRow>(e =>
        {
            e.HasKey(c => c.Size);
            e.Property(c => c.Size).ValueGeneratedNever();
        });

        builder.Entity<FeedbackCount>(e =>
        {
            e.HasKey(f => new { f.WeekStart, f.Question, f.Answer });
            e.Property(f => f.Question).HasMaxLength(32);
            e.Property(f => f.Answer).HasMaxLength(32);
        });

        builder.Entity<RequestCount>(e =>
        {
            e.HasKey(c => c.HourStart);
            e.Property(c => c.HourStart).ValueGeneratedNever();
        });

        builder.Entity<DeviceKey>(e =>
        {
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(32);
            e.Property(k => k.StaffUserId).HasMaxLength(64);
            e.HasIndex(k => k.StaffUserId);
        });

        builder.Entity<Shift>(e =>
        {
            e.HasKey(s => s.Id);
            e.Property(s => s.SupporterId).HasMaxLength(64);
            e.HasIndex(s => s.SupporterId).IsUnique();
        });
    }
}
