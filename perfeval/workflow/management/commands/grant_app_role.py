import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

AUDIT_TABLE = "workflow_auditevent"
# What the app reads but never writes: the migration history belongs to the owner role.
READ_ONLY_TABLES = ("django_migrations",)


def grant_statements(role: str, tables: list[str], schema: str) -> list[str]:
    """Every table readable and writable by ``role``, except the audit log (read and append only) and the
    migration history (read only); no TRUNCATE, no ownership, so no way to disable the audit log's trigger."""
    quote = connection.ops.quote_name
    who = quote(role)
    statements = [f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}"]
    for table in tables:
        statements.append(f"REVOKE ALL ON {quote(table)} FROM {who}")
        if table == AUDIT_TABLE:
            privileges = "SELECT, INSERT"
        elif table in READ_ONLY_TABLES:
            privileges = "SELECT"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {privileges} ON {quote(table)} TO {who}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {who}")
    return statements


class Command(BaseCommand):
    help = (
        "（PostgreSQL）为运行应用的数据库角色授权：各表读写，审计日志只读和追加，迁移记录只读。"
        "须由表的所有者（运行 migrate 的角色）在每次 migrate 之后运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="应用（gunicorn、db_worker）连接数据库所用的角色，如 perfeval_app")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="角色不存在时以此环境变量中的密码创建（LOGIN）；已存在时把密码更新为它",
        )

    def handle(self, *args, role, password_env=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role 只用于 PostgreSQL（SQLite 没有数据库角色）")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema()")
            owner, schema = cursor.fetchone()
            if role == owner:
                raise CommandError(
                    f"角色 {role} 就是运行本命令的表所有者：应用须以另一个不拥有表的角色运行，否则它能停用审计日志的触发器"
                )
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone() is not None
            if password_env:
                password = os.environ.get(password_env)
                if not password:
                    raise CommandError(f"环境变量 {password_env} 未设置或为空")
                verb = "ALTER" if exists else "CREATE"
                cursor.execute(f"{verb} ROLE {connection.ops.quote_name(role)} LOGIN PASSWORD %s", [password])
            elif not exists:
                raise CommandError(
                    f"数据库角色 {role} 不存在：请先创建，或用 --password-env 指定密码由本命令创建"
                )
            tables = connection.introspection.table_names(cursor)
            for statement in grant_statements(role, tables, schema):
                cursor.execute(statement)
        self.stdout.write(f"已为角色 {role} 授权 {len(tables)} 张表（{AUDIT_TABLE} 只读和追加）")
