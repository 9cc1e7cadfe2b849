using Npgsql;

namespace Evidence.IntegrationTests.Security;

/// <summary>
/// The services' database role owns its schemas and nothing more: no superuser, no roles or
/// databases of its own, nothing a superuser alone may do.
/// </summary>
public sealed class DatabasePrivilegeTests(TestScope<DatabasePrivilegeTests> scope) : IClassFixture<TestScope<DatabasePrivilegeTests>>
{
    [Fact]
    public async Task ServicesRole_Should_OwnItsSchemas_AndNotBeASuperuser()
    {
        await using var connection = new NpgsqlConnection(scope.Postgres);
        await connection.OpenAsync();

        await using (var role = new NpgsqlCommand(
                         "select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls from pg_roles where rolname = current_user", connection))
        await using (var reader = await role.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((false, false, false, false), (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3)));
        }

        // What the hosts and the tests do: create a schema of their own, and drop it.
        await ExecuteAsync(connection, $"create schema {scope.Schema}; drop schema {scope.Schema}");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "select pg_read_file('postgresql.conf')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
