using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeerLine.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class UnansweredRequestCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Returning",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "RequestCounts",
                columns: table => new
                {
                    HourStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Routine = table.Column<long>(type: "INTEGER", nullable: false),
                    Soon = table.Column<long>(type: "INTEGER", nullable: false),
                    Crisis = table.Column<long>(type: "INTEGER", nullable: false),
                    Withdrawn = table.Column<long>(type: "INTEGER", nullable: false),
                    Abandoned = table.Column<long>(type: "INTEGER", nullable: false),
                    CrisisAlerts = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RequestCounts", x => x.HourStart);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RequestCounts");

            migrationBuilder.DropColumn(
                name: "Returning",
                table: "Sessions");
        }
    }
}
