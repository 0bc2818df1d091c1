using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeerLine.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class WellbeingAndShiftRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ShiftRecords",
                columns: table => new
                {
                    Number = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SupporterId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShiftRecords", x => x.Number);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ShiftRecords_SupporterId_EndedAt",
                table: "ShiftRecords",
                columns: new[] { "SupporterId", "EndedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ShiftRecords");
        }
    }
}
