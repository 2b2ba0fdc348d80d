// Tests get a complete, valid environment without needing a .env file.
process.env.NODE_ENV = "test";
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/zhurnal";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.JWT_SECRET ??= "test-secret-test-secret-test-secret-0123";
process.env.LOG_LEVEL ??= "silent";
