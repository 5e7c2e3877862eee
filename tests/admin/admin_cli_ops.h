/* admin_cli: the operations, each building its request objects and calling the
   API (included once, by admin_cli.c). */

/* ------------------------------------------------------------------------ */
/* Operations: each builds its request objects (pushing them for cleanup) and
 * calls the API. */

static void op_create_topics(int argc, char **argv) {
        rd_kafka_NewTopic_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++) {
                char errstr[ERRSTR_SIZE] = "";
                char *s = xstrdup(argv[i]), *p = s;
                char *name = unescape(next_field(&p, ':'));
                char *f2   = next_field(&p, ':');
                char *assign = NULL, *cfg = NULL;
                int parts, rf;
                if (!f2)
                        usage_error("create_topics: expected NAME:PARTS:RF in '%s'", argv[i]);
                if (f2[0] == '@') {
                        char *q;
                        assign = f2 + 1;
                        parts  = 1;
                        for (q = assign; *q; q++)
                                if (*q == ';')
                                        parts++;
                        rf = -1;
                        /* Optional RF (a field without '='), then configs. */
                        if (p && !field_has(p, ':', '='))
                                rf = need_i32(unescape(next_field(&p, ':')),
                                              "replication factor");
                        cfg = p;
                } else {
                        char *rfs = next_field(&p, ':');
                        if (!rfs)
                                usage_error("create_topics: expected NAME:PARTS:RF in '%s'",
                                            argv[i]);
                        parts = need_i32(unescape(f2), "partition count");
                        rf    = need_i32(unescape(rfs), "replication factor");
                        cfg   = p;
                }
                arr[i] = rd_kafka_NewTopic_new(name, parts, rf, errstr, sizeof(errstr));
                if (!arr[i])
                        build_fail("rd_kafka_NewTopic_new", argv[i], errstr);
                push(arr[i], dtor_rd_kafka_NewTopic_destroy);
                if (assign) {
                        char *ap = assign, *plist;
                        int32_t pi = 0;
                        while ((plist = next_field(&ap, ';'))) {
                                size_t cnt;
                                int32_t *ids = parse_brokers(plist, &cnt);
                                rd_kafka_resp_err_t err;
                                errstr[0] = '\0';
                                err = rd_kafka_NewTopic_set_replica_assignment(
                                    arr[i], pi, ids, cnt, errstr, sizeof(errstr));
                                if (err)
                                        build_msg("rd_kafka_NewTopic_set_replica_assignment",
                                                  argv[i], err, errstr);
                                pi++;
                        }
                }
                if (cfg) {
                        char *kv;
                        while ((kv = next_field(&cfg, ','))) {
                                char *k, *v;
                                rd_kafka_resp_err_t err;
                                if (!*kv)
                                        continue;
                                k = next_field(&kv, '=');
                                v = kv;
                                err = rd_kafka_NewTopic_set_config(arr[i], unescape(k),
                                                                   unescape(v));
                                if (err)
                                        build_msg("rd_kafka_NewTopic_set_config", argv[i], err,
                                                  rd_kafka_err2str(err));
                        }
                }
        }
        rd_kafka_CreateTopics(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_delete_topics(int argc, char **argv) {
        rd_kafka_DeleteTopic_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++) {
                arr[i] = rd_kafka_DeleteTopic_new(argv[i]);
                if (!arr[i])
                        build_fail("rd_kafka_DeleteTopic_new", argv[i], NULL);
                push(arr[i], dtor_rd_kafka_DeleteTopic_destroy);
        }
        rd_kafka_DeleteTopics(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_create_partitions(int argc, char **argv) {
        rd_kafka_NewPartitions_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++) {
                char errstr[ERRSTR_SIZE] = "";
                char *s = xstrdup(argv[i]), *p = s;
                char *name  = unescape(next_field(&p, ':'));
                char *total = next_field(&p, ':');
                char *assign;
                int64_t t;
                if (!total)
                        usage_error("create_partitions: expected NAME:TOTAL in '%s'", argv[i]);
                t      = need_i64(unescape(total), "total");
                assign = next_field(&p, ':');
                if (p || (assign && assign[0] != '@'))
                        usage_error("create_partitions: expected NAME:TOTAL[:@B,B;B] in '%s'",
                                    argv[i]);
                arr[i] = rd_kafka_NewPartitions_new(name, (size_t)t, errstr, sizeof(errstr));
                if (!arr[i])
                        build_fail("rd_kafka_NewPartitions_new", argv[i], errstr);
                push(arr[i], dtor_rd_kafka_NewPartitions_destroy);
                if (assign) {
                        char *ap = assign + 1, *plist;
                        int32_t pi = 0;
                        while ((plist = next_field(&ap, ';'))) {
                                size_t cnt;
                                int32_t *ids = parse_brokers(plist, &cnt);
                                rd_kafka_resp_err_t err;
                                errstr[0] = '\0';
                                err = rd_kafka_NewPartitions_set_replica_assignment(
                                    arr[i], pi, ids, cnt, errstr, sizeof(errstr));
                                if (err)
                                        build_msg("rd_kafka_NewPartitions_set_replica_assignment",
                                                  argv[i], err, errstr);
                                pi++;
                        }
                }
        }
        rd_kafka_CreatePartitions(g_rk, arr, (size_t)argc, g_opts, g_q);
}

/* TYPE:NAME...; returns the resource and sets *rest to what follows NAME
 * (name_is_rest: NAME is the whole remainder). */
static rd_kafka_ConfigResource_t *new_config_resource(const char *arg, int name_is_rest,
                                                      char **rest) {
        char *s = xstrdup(arg), *p = s;
        char *type = next_field(&p, ':');
        char *name;
        rd_kafka_ConfigResource_t *r;
        int t;
        if (!p)
                usage_error("%s: expected TYPE:NAME in '%s'", g_op_name, arg);
        t = need_enum(unescape(type), restype_names, NELEMS(restype_names), "resource type");
        if (name_is_rest) {
                name = p;
                p    = NULL;
        } else {
                name = next_field(&p, ':');
        }
        r = rd_kafka_ConfigResource_new((rd_kafka_ResourceType_t)t, unescape(name));
        if (!r)
                build_fail("rd_kafka_ConfigResource_new", arg, NULL);
        push(r, dtor_rd_kafka_ConfigResource_destroy);
        if (rest)
                *rest = p;
        return r;
}

static void op_describe_configs(int argc, char **argv) {
        rd_kafka_ConfigResource_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++)
                arr[i] = new_config_resource(argv[i], 1, NULL);
        rd_kafka_DescribeConfigs(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_alter_configs(int argc, char **argv) {
        rd_kafka_ConfigResource_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++) {
                char *cfg = NULL, *kv;
                arr[i]    = new_config_resource(argv[i], 0, &cfg);
                while ((kv = next_field(&cfg, ','))) {
                        char *k;
                        rd_kafka_resp_err_t err;
                        if (!*kv)
                                continue;
                        k   = next_field(&kv, '=');
                        err = rd_kafka_ConfigResource_set_config(arr[i], unescape(k),
                                                                 unescape(kv));
                        if (err)
                                build_msg("rd_kafka_ConfigResource_set_config", argv[i], err,
                                          rd_kafka_err2str(err));
                }
        }
        rd_kafka_AlterConfigs(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_incremental_alter_configs(int argc, char **argv) {
        rd_kafka_ConfigResource_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++) {
                char *cfg = NULL, *item;
                arr[i]    = new_config_resource(argv[i], 0, &cfg);
                while ((item = next_field(&cfg, ','))) {
                        char *opname, *k;
                        int op;
                        rd_kafka_error_t *e;
                        if (!*item)
                                continue;
                        opname = next_field(&item, ':');
                        if (!item)
                                usage_error("incremental_alter_configs: expected OP:k=v in '%s'",
                                            argv[i]);
                        op = need_enum(unescape(opname), alterop_names, NELEMS(alterop_names),
                                       "alter op");
                        k  = next_field(&item, '=');
                        e  = rd_kafka_ConfigResource_add_incremental_config(
                            arr[i], unescape(k), (rd_kafka_AlterConfigOpType_t)op,
                            unescape(item));
                        if (e)
                                build_error("rd_kafka_ConfigResource_add_incremental_config",
                                            argv[i], e);
                }
        }
        rd_kafka_IncrementalAlterConfigs(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_delete_records(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l = new_tplist(argc);
        rd_kafka_DeleteRecords_t *dr;
        rd_kafka_DeleteRecords_t **arr;
        int i;
        for (i = 0; i < argc; i++) {
                char *rest = NULL;
                rd_kafka_topic_partition_t *t = add_tp(l, argv[i], &rest);
                char *off                     = next_field(&rest, ':');
                if (!off || rest)
                        usage_error("delete_records: expected TOPIC:PART:OFFSET in '%s'",
                                    argv[i]);
                t->offset = need_i64(unescape(off), "offset");
        }
        dr = rd_kafka_DeleteRecords_new(l);
        if (!dr)
                build_fail("rd_kafka_DeleteRecords_new", "", NULL);
        push(dr, dtor_rd_kafka_DeleteRecords_destroy);
        arr    = xcalloc(1, sizeof(*arr));
        arr[0] = dr;
        rd_kafka_DeleteRecords(g_rk, arr, 1, g_opts, g_q);
}

static void op_describe_topics(int argc, char **argv) {
        rd_kafka_TopicCollection_t *tc =
            rd_kafka_TopicCollection_of_topic_names((const char **)argv, (size_t)argc);
        if (!tc)
                build_fail("rd_kafka_TopicCollection_of_topic_names", "", NULL);
        push(tc, dtor_rd_kafka_TopicCollection_destroy);
        rd_kafka_DescribeTopics(g_rk, tc, g_opts, g_q);
}

static void op_describe_cluster(int argc, char **argv) {
        if (argc)
                usage_error("describe_cluster takes no arguments");
        rd_kafka_DescribeCluster(g_rk, g_opts, g_q);
}

static void op_list_offsets(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l = new_tplist(argc);
        int i;
        for (i = 0; i < argc; i++) {
                char *rest = NULL, *spec;
                rd_kafka_topic_partition_t *t = add_tp(l, argv[i], &rest);
                spec                          = unescape(next_field(&rest, ':'));
                if (!spec || rest)
                        usage_error("list_offsets: expected TOPIC:PART:SPEC in '%s'", argv[i]);
                if (!strcasecmp(spec, "earliest"))
                        t->offset = RD_KAFKA_OFFSET_SPEC_EARLIEST;
                else if (!strcasecmp(spec, "latest"))
                        t->offset = RD_KAFKA_OFFSET_SPEC_LATEST;
                else if (!strcasecmp(spec, "max_timestamp"))
                        t->offset = RD_KAFKA_OFFSET_SPEC_MAX_TIMESTAMP;
                else
                        t->offset = need_i64(spec, "offset spec");
        }
        rd_kafka_ListOffsets(g_rk, l, g_opts, g_q);
}

static void op_elect_leaders(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l = NULL;
        rd_kafka_ElectLeaders_t *el;
        int type, i;
        if (argc < 1)
                usage_error("elect_leaders: expected preferred|unclean [TOPIC:PART...]");
        type = need_enum(argv[0], election_names, NELEMS(election_names), "election type");
        if (argc > 1) {
                l = new_tplist(argc - 1);
                for (i = 1; i < argc; i++)
                        add_tp(l, argv[i], NULL);
        }
        el = rd_kafka_ElectLeaders_new((rd_kafka_ElectionType_t)type, l);
        if (!el)
                build_fail("rd_kafka_ElectLeaders_new", argv[0], NULL);
        push(el, dtor_rd_kafka_ElectLeaders_destroy);
        rd_kafka_ElectLeaders(g_rk, el, g_opts, g_q);
}

/* RTYPE:NAME:PATTERN:PRINCIPAL:HOST:OP:PERM into a binding or a filter. */
static rd_kafka_AclBinding_t *new_acl(const char *arg, int filter) {
        char *s = xstrdup(arg), *p = s;
        char *f[9];
        int n = 0, rt, pt, op, pm;
        char errstr[ERRSTR_SIZE] = "";
        char *principal;
        rd_kafka_AclBinding_t *a;
        while (p && n < 9)
                f[n++] = next_field(&p, ':');
        if (p || n < 7 || n > 8)
                usage_error("%s: expected RTYPE:NAME:PATTERN:PRINCIPAL:HOST:OP:PERM in '%s'",
                            g_op_name, arg);
        if (n == 8) {
                /* PRINCIPAL held one unescaped ':' (User:alice): rejoin. */
                f[3][strlen(f[3])] = ':';
                f[4]               = f[5];
                f[5]               = f[6];
                f[6]               = f[7];
        }
        rt        = need_enum(unescape(f[0]), restype_names, NELEMS(restype_names),
                              "resource type");
        pt        = need_enum(unescape(f[2]), pattern_names, NELEMS(pattern_names),
                              "pattern type");
        op        = need_enum(unescape(f[5]), aclop_names, NELEMS(aclop_names), "operation");
        pm        = need_enum(unescape(f[6]), perm_names, NELEMS(perm_names), "permission");
        principal = f[3];
        if (filter)
                a = rd_kafka_AclBindingFilter_new(
                    (rd_kafka_ResourceType_t)rt, nullable(f[1]),
                    (rd_kafka_ResourcePatternType_t)pt, nullable(principal), nullable(f[4]),
                    (rd_kafka_AclOperation_t)op, (rd_kafka_AclPermissionType_t)pm, errstr,
                    sizeof(errstr));
        else
                a = rd_kafka_AclBinding_new(
                    (rd_kafka_ResourceType_t)rt, nullable(f[1]),
                    (rd_kafka_ResourcePatternType_t)pt, nullable(principal), nullable(f[4]),
                    (rd_kafka_AclOperation_t)op, (rd_kafka_AclPermissionType_t)pm, errstr,
                    sizeof(errstr));
        if (!a)
                build_fail(filter ? "rd_kafka_AclBindingFilter_new" : "rd_kafka_AclBinding_new",
                           arg, errstr);
        return push(a, dtor_rd_kafka_AclBinding_destroy);
}

static void op_create_acls(int argc, char **argv) {
        rd_kafka_AclBinding_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++)
                arr[i] = new_acl(argv[i], 0);
        rd_kafka_CreateAcls(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_describe_acls(int argc, char **argv) {
        if (argc != 1)
                usage_error("describe_acls takes exactly one filter");
        rd_kafka_DescribeAcls(g_rk, new_acl(argv[0], 1), g_opts, g_q);
}

static void op_delete_acls(int argc, char **argv) {
        rd_kafka_AclBindingFilter_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++)
                arr[i] = new_acl(argv[i], 1);
        rd_kafka_DeleteAcls(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_list_consumer_groups(int argc, char **argv) {
        if (argc)
                usage_error("list_consumer_groups takes no arguments");
        rd_kafka_ListConsumerGroups(g_rk, g_opts, g_q);
}

static void op_describe_consumer_groups(int argc, char **argv) {
        rd_kafka_DescribeConsumerGroups(g_rk, (const char **)argv, (size_t)argc, g_opts, g_q);
}

static void op_delete_groups(int argc, char **argv) {
        rd_kafka_DeleteGroup_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++) {
                arr[i] = rd_kafka_DeleteGroup_new(argv[i]);
                if (!arr[i])
                        build_fail("rd_kafka_DeleteGroup_new", argv[i], NULL);
                push(arr[i], dtor_rd_kafka_DeleteGroup_destroy);
        }
        rd_kafka_DeleteGroups(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void op_list_consumer_group_offsets(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l = NULL;
        rd_kafka_ListConsumerGroupOffsets_t **arr;
        int i;
        if (argc < 1)
                usage_error("list_consumer_group_offsets: expected GROUP [TOPIC:PART...]");
        if (argc > 1) {
                l = new_tplist(argc - 1);
                for (i = 1; i < argc; i++)
                        add_tp(l, argv[i], NULL);
        }
        arr    = xcalloc(1, sizeof(*arr));
        arr[0] = rd_kafka_ListConsumerGroupOffsets_new(argv[0], l);
        if (!arr[0])
                build_fail("rd_kafka_ListConsumerGroupOffsets_new", argv[0], NULL);
        push(arr[0], dtor_rd_kafka_ListConsumerGroupOffsets_destroy);
        rd_kafka_ListConsumerGroupOffsets(g_rk, arr, 1, g_opts, g_q);
}

static void op_alter_consumer_group_offsets(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_AlterConsumerGroupOffsets_t **arr;
        int i;
        if (argc < 1)
                usage_error("alter_consumer_group_offsets: expected GROUP TOPIC:PART:OFFSET...");
        l = new_tplist(argc - 1);
        for (i = 1; i < argc; i++) {
                char *rest = NULL, *off;
                rd_kafka_topic_partition_t *t = add_tp(l, argv[i], &rest);
                off                           = next_field(&rest, ':');
                if (!off)
                        usage_error("alter_consumer_group_offsets: expected "
                                    "TOPIC:PART:OFFSET[:metadata] in '%s'",
                                    argv[i]);
                t->offset = need_i64(unescape(off), "offset");
                if (rest) {
                        unescape(rest);
                        t->metadata = strdup(rest); /* freed with the list */
                        if (!t->metadata)
                                abort();
                        t->metadata_size = strlen(rest);
                }
        }
        arr    = xcalloc(1, sizeof(*arr));
        arr[0] = rd_kafka_AlterConsumerGroupOffsets_new(argv[0], l);
        if (!arr[0])
                build_fail("rd_kafka_AlterConsumerGroupOffsets_new", argv[0], NULL);
        push(arr[0], dtor_rd_kafka_AlterConsumerGroupOffsets_destroy);
        rd_kafka_AlterConsumerGroupOffsets(g_rk, arr, 1, g_opts, g_q);
}

static void op_delete_consumer_group_offsets(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_DeleteConsumerGroupOffsets_t **arr;
        int i;
        if (argc < 1)
                usage_error("delete_consumer_group_offsets: expected GROUP TOPIC:PART...");
        l = new_tplist(argc - 1);
        for (i = 1; i < argc; i++)
                add_tp(l, argv[i], NULL);
        arr    = xcalloc(1, sizeof(*arr));
        arr[0] = rd_kafka_DeleteConsumerGroupOffsets_new(argv[0], l);
        if (!arr[0])
                build_fail("rd_kafka_DeleteConsumerGroupOffsets_new", argv[0], NULL);
        push(arr[0], dtor_rd_kafka_DeleteConsumerGroupOffsets_destroy);
        rd_kafka_DeleteConsumerGroupOffsets(g_rk, arr, 1, g_opts, g_q);
}

static void op_describe_user_scram_credentials(int argc, char **argv) {
        rd_kafka_DescribeUserScramCredentials(g_rk, argc ? (const char **)argv : NULL,
                                              (size_t)argc, g_opts, g_q);
}

static void op_alter_user_scram_credentials(int argc, char **argv) {
        rd_kafka_UserScramCredentialAlteration_t **arr = xcalloc((size_t)argc, sizeof(*arr));
        int i;
        for (i = 0; i < argc; i++) {
                char *s = xstrdup(argv[i]), *p = s;
                char *kind = unescape(next_field(&p, ':'));
                char *user = next_field(&p, ':');
                char *mech = next_field(&p, ':');
                int m;
                if (!mech)
                        usage_error("alter_user_scram_credentials: expected "
                                    "upsert:USER:MECH:ITER:PASSWORD[:SALT] or delete:USER:MECH "
                                    "in '%s'",
                                    argv[i]);
                m = need_enum(unescape(mech), scram_names, NELEMS(scram_names), "mechanism");
                unescape(user);
                if (!strcasecmp(kind, "upsert")) {
                        char *iter = next_field(&p, ':');
                        char *pw   = next_field(&p, ':');
                        char *salt = next_field(&p, ':');
                        int32_t it;
                        if (!pw || p)
                                usage_error("alter_user_scram_credentials: expected "
                                            "upsert:USER:MECH:ITER:PASSWORD[:SALT] in '%s'",
                                            argv[i]);
                        it = need_i32(unescape(iter), "iterations");
                        unescape(pw);
                        unescape(salt);
                        arr[i] = rd_kafka_UserScramCredentialUpsertion_new(
                            user, (rd_kafka_ScramMechanism_t)m, it, (const unsigned char *)pw,
                            strlen(pw), (const unsigned char *)salt, salt ? strlen(salt) : 0);
                        if (!arr[i])
                                build_fail("rd_kafka_UserScramCredentialUpsertion_new", argv[i],
                                           NULL);
                } else if (!strcasecmp(kind, "delete")) {
                        if (p)
                                usage_error("alter_user_scram_credentials: expected "
                                            "delete:USER:MECH in '%s'",
                                            argv[i]);
                        arr[i] = rd_kafka_UserScramCredentialDeletion_new(
                            user, (rd_kafka_ScramMechanism_t)m);
                        if (!arr[i])
                                build_fail("rd_kafka_UserScramCredentialDeletion_new", argv[i],
                                           NULL);
                } else {
                        usage_error("alter_user_scram_credentials: bad kind '%s'", kind);
                }
                push(arr[i], dtor_rd_kafka_UserScramCredentialAlteration_destroy);
        }
        rd_kafka_AlterUserScramCredentials(g_rk, arr, (size_t)argc, g_opts, g_q);
}

/* kafkars extensions (kafka-python's admin operations librdkafka lacks). */
static void ext_need(void (*fn)(void), const char *name) {
        if (!fn) {
                printf("unsupported: %s\n", name);
                finish(EXIT_UNSUPPORTED);
        }
}

static void op_describe_log_dirs(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l = NULL;
        int32_t *ids = xcalloc((size_t)argc + 1, sizeof(*ids));
        int i, n = 0;
        ext_need((void (*)(void))kafkars_DescribeLogDirs, "kafkars_DescribeLogDirs");
        /* Arguments: broker ids (B:ID) and partitions (TOPIC:PART). */
        for (i = 0; i < argc; i++) {
                if (!strncmp(argv[i], "B:", 2)) {
                        ids[n++] = (int32_t)atoi(argv[i] + 2);
                        continue;
                }
                if (!l)
                        l = new_tplist(argc);
                add_tp(l, argv[i], NULL);
        }
        kafkars_DescribeLogDirs(g_rk, l, n ? ids : NULL, (size_t)n, g_opts, g_q);
}

static void op_list_partition_reassignments(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l = NULL;
        int i;
        ext_need((void (*)(void))kafkars_ListPartitionReassignments,
                 "kafkars_ListPartitionReassignments");
        for (i = 0; i < argc; i++) {
                if (!l)
                        l = new_tplist(argc);
                add_tp(l, argv[i], NULL);
        }
        kafkars_ListPartitionReassignments(g_rk, l, g_opts, g_q);
}

static void dtor_reassignment(void *p) {
        kafkars_PartitionReassignment_destroy(p);
}

static void op_alter_partition_reassignments(int argc, char **argv) {
        kafkars_PartitionReassignment_t **arr;
        int i;
        ext_need((void (*)(void))kafkars_AlterPartitionReassignments,
                 "kafkars_AlterPartitionReassignments");
        arr = xcalloc((size_t)argc + 1, sizeof(*arr));
        for (i = 0; i < argc; i++) {
                char *s = xstrdup(argv[i]), *rest = s, *topic, *part, *brokers;
                char errstr[ERRSTR_SIZE] = "";
                int32_t *ids = NULL;
                size_t cnt = 0;
                topic = next_field(&rest, ':');
                part = next_field(&rest, ':');
                brokers = next_field(&rest, ':');
                if (!topic || !part || rest)
                        usage_error("alter_partition_reassignments: expected "
                                    "TOPIC:PART[:B1,B2] in '%s'",
                                    argv[i]);
                /* No broker list: cancel the reassignment. "-": an empty list. */
                if (brokers && strcmp(brokers, "-")) {
                        ids = parse_brokers(brokers, &cnt);
                }
                arr[i] = kafkars_PartitionReassignment_new(
                    topic, (int32_t)atoi(part), brokers ? (ids ? ids : (int32_t *)arr) : NULL,
                    cnt, errstr, sizeof(errstr));
                if (!arr[i])
                        build_fail("kafkars_PartitionReassignment_new", argv[i], errstr);
                push(arr[i], dtor_reassignment);
        }
        kafkars_AlterPartitionReassignments(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void p_ids(sb_t *b, const char *label, const int32_t *ids, size_t cnt) {
        size_t i;
        sb_printf(b, " %s=[", label);
        for (i = 0; i < cnt; i++)
                sb_printf(b, "%s%" PRId32, i ? "," : "", ids[i]);
        sb_printf(b, "]");
}

static void pr_DescribeLogDirs(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i, j, k;
        const kafkars_BrokerLogDirs_t **br = kafkars_DescribeLogDirs_result_brokers(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "brokers: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                size_t dcnt = 0;
                const kafkars_LogDir_t **dirs = kafkars_BrokerLogDirs_log_dirs(br[i], &dcnt);
                sb_line(&bl.v[i], 2, "broker id=%" PRId32 " ", kafkars_BrokerLogDirs_broker_id(br[i]));
                p_error(&bl.v[i], kafkars_BrokerLogDirs_error(br[i]));
                sb_printf(&bl.v[i], "\n");
                sb_line(&bl.v[i], 3, "log_dirs: %zu\n", dcnt);
                for (j = 0; j < dcnt; j++) {
                        size_t rcnt = 0;
                        const kafkars_ReplicaInfo_t **reps = kafkars_LogDir_replicas(dirs[j], &rcnt);
                        sb_line(&bl.v[i], 4, "log_dir path=%s total_bytes=%" PRId64
                                            " usable_bytes=%" PRId64 " ",
                                S(kafkars_LogDir_path(dirs[j])), kafkars_LogDir_total_bytes(dirs[j]),
                                kafkars_LogDir_usable_bytes(dirs[j]));
                        p_error(&bl.v[i], kafkars_LogDir_error(dirs[j]));
                        sb_printf(&bl.v[i], "\n");
                        sb_line(&bl.v[i], 5, "replicas: %zu\n", rcnt);
                        for (k = 0; k < rcnt; k++) {
                                sb_line(&bl.v[i], 6, "replica ");
                                p_tpar(&bl.v[i], kafkars_ReplicaInfo_partition(reps[k]));
                                sb_printf(&bl.v[i], " size=%" PRId64 " offset_lag=%" PRId64 " is_future=%d\n",
                                          kafkars_ReplicaInfo_size(reps[k]),
                                          kafkars_ReplicaInfo_offset_lag(reps[k]),
                                          kafkars_ReplicaInfo_is_future(reps[k]));
                        }
                }
        }
        blocks_flush(&bl, b);
}

static void pr_ListPartitionReassignments(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i, n;
        const kafkars_OngoingReassignment_t **res =
            kafkars_ListPartitionReassignments_result_reassignments(r, &cnt);
        blocks_t bl;
        const int32_t *ids;
        sb_line(b, 1, "reassignments: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "reassignment ");
                p_tpar(&bl.v[i], kafkars_OngoingReassignment_partition(res[i]));
                ids = kafkars_OngoingReassignment_replicas(res[i], &n);
                p_ids(&bl.v[i], "replicas", ids, n);
                ids = kafkars_OngoingReassignment_adding_replicas(res[i], &n);
                p_ids(&bl.v[i], "adding", ids, n);
                ids = kafkars_OngoingReassignment_removing_replicas(res[i], &n);
                p_ids(&bl.v[i], "removing", ids, n);
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

static void pr_AlterPartitionReassignments(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_topic_partition_result_t **res =
            kafkars_AlterPartitionReassignments_result_partitions(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "partitions: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "result ");
                p_tpar(&bl.v[i], rd_kafka_topic_partition_result_partition(res[i]));
                sb_printf(&bl.v[i], " ");
                p_error(&bl.v[i], rd_kafka_topic_partition_result_error(res[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}
