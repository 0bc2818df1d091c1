using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeerLine.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class LeadLane : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CallerToLeadAckedSeq",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "CallerToLeadSentSeq",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LeadAckedSeq",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "LeadId",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeadInvitedId",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeadSentSeq",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CallerToLeadAckedSeq",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "CallerToLeadSentSeq",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "LeadAckedSeq",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "LeadId",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "LeadInvitedId",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "LeadSentSeq",
                table: "Sessions");
        }
    }
}
