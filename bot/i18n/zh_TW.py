"""繁體中文（台灣）catalogue for the diagnosis. Keys mirror bot/i18n/en.py; a test checks both."""

MESSAGES: dict[str, str] = {
    # 判定
    "headline.listed": "{ip} 已被列入：{lists}",
    "headline.not_listed": "{ip} 未列入任何已查詢的清單",
    "headline.unknown": "{ip}：部分清單無法查詢",
    "checked.lists": "已查詢：{lists}。",
    "headline.joined": "{first}；{second}",
    "checked.domain": "已查詢 {domain}：{lists}。",
    "checked.keyed_only": "未查詢（需要 Spamhaus DQS 金鑰）：{lists}。",
    "checked.skipped": "未查詢（不支援此類位址）：{lists}。",
    "headline.blocked_microsoft": "{ip} 遭 Microsoft 自己的封鎖清單封鎖（{code}）",
    "headline.blocked_microsoft_tenant": "遭 Microsoft 封鎖（{code}）：封鎖的是寄件租用戶或帳號，而不是某個 IP",
    "headline.problem.no_ip": "在這段文字中找不到被封鎖的 IP 位址",
    "headline.problem.private": "{ip} 是私有位址：封鎖清單看不到它",
    "headline.problem.reserved": "{ip} 是保留位址（回送、連結本機、多點傳送等）：不需查詢",
    "headline.problem.malformed": "這看起來不是有效的 IP 位址",
    "headline.problem.too_large": "貼上的內容太大，無法讀取",
    "headline.problem.binary": "這看起來是二進位資料，不是退信內容",
    "headline.problem.empty": "沒有可查詢的內容",
    "headline.problem.redacted_ip": "這封退信中的位址已被遮蔽",
    # 區段
    "section.evidence": "退信內容",
    "section.listings": "目前的封鎖清單狀態",
    "section.failures": "無法查詢",
    "section.owner": "IP 的擁有者",
    "section.case": "該由誰處理",
    "section.fix": "解決步驟",
    # 證據
    "evidence.bare_ip": "直接輸入的 IP：{ip}",
    "evidence.found": "被封鎖的 IP {ip}，出現在：{snippet}",
    "evidence.blocklist": "退信指明的清單：{name}{detail}",
    "evidence.not_blocklist": "這不是封鎖清單造成的退信：{kind}",
    "evidence.rejected_by": "由 {host} 以 {codes} 拒收",
    "evidence.rejected_with": "以 {codes} 拒收",
    "evidence.rejected_at": "由 {host} 拒收",
    "evidence.open_resolver": "收件端的 DNS 解析器（{resolver}）被 Spamhaus 拒絕：錯誤出在收件端",
    "evidence.open_resolver_unnamed": "收件端的 DNS 解析器被 Spamhaus 拒絕：錯誤出在收件端",
    "evidence.others": "文字中的其他位址（不是被封鎖的 IP）：{ips}",
    "list.unnamed": "未具名的封鎖清單",
    "role.blocked": "被封鎖",
    "role.mx": "收件伺服器",
    "role.relay": "轉送節點",
    "role.resolver": "DNS 解析器",
    "role.url": "連結中",
    "role.unknown": "其他",
    "role.version": "版本號",
    "role.return_code": "封鎖清單回傳碼",
    "role.loopback": "回送位址",
    "kind.user_unknown": "收件者不存在",
    "kind.mailbox_full": "信箱已滿",
    "kind.message_too_big": "郵件過大",
    "kind.too_big": "郵件過大",
    "kind.spf": "SPF 驗證失敗",
    "kind.dmarc": "DMARC 驗證失敗",
    "kind.dkim": "DKIM 驗證失敗",
    "kind.ptr": "反解（PTR）缺漏或錯誤",
    "kind.host_unknown": "主機或網域不存在",
    "kind.expired": "傳遞逾時",
    "kind.policy": "收件端自己的原則",
    "kind.address_blacklisted": "寄件者或收件者地址遭封鎖",
    "kind.mailbox_disabled": "信箱已停用",
    "kind.not_mx": "轉送原則",
    "kind.rate_limit": "連線數或寄送速率限制（請放慢速度；這不是封鎖清單）",
    "kind.null_mx": "寄件網域不收任何郵件（null MX）",
    # 清單意義（Spamhaus 回傳碼：docs.spamhaus.com）
    "meaning.spamhaus.sbl": "SBL：Spamhaus 人工列入的垃圾郵件來源或垃圾郵件集團。",
    "meaning.spamhaus.css": "CSS：針對低信譽、「雪鞋式」分散寄送的自動列入。",
    "meaning.spamhaus.drop": "DROP：整個網段遭劫持或由犯罪者經營。",
    "meaning.spamhaus.xbl": "XBL：有遭入侵的機器（惡意程式、殭屍網路、開放代理）從此 IP 寄信。",
    "meaning.spamhaus.pbl_isp": "原則封鎖清單（PBL，由 ISP 標記）：此網段並非用來直接寄信到郵件伺服器。"
                                "這不是因垃圾郵件而列入。",
    "meaning.spamhaus.pbl_spamhaus": "原則封鎖清單（PBL，由 Spamhaus 標記）：此網段看似動態或終端使用者的網段，"
                                     "並非用來直接寄信到郵件伺服器。這不是因垃圾郵件而列入。",
    "meaning.spamhaus.pbl": "原則封鎖清單（PBL）：此網段並非用來直接寄信到郵件伺服器。這不是因垃圾郵件而列入。",
    "meaning.spamhaus.bcl": "BCL：殭屍網路的命令與控制伺服器。",
    "meaning.spamhaus.authbl": "AuthBL：曾出現暴力破解 SMTP 登入的行為。",
    "meaning.spamhaus.dbl_spam": "DBL：信譽不佳、出現在垃圾郵件中的網域。",
    "meaning.spamhaus.dbl_phish": "DBL：網路釣魚網域。",
    "meaning.spamhaus.dbl_malware": "DBL：散布惡意程式的網域。",
    "meaning.spamhaus.dbl_botnet_cc": "DBL：殭屍網路命令與控制網域。",
    "meaning.spamhaus.dbl_abused_spam": "DBL：遭濫用來宣傳垃圾郵件的正當網域（網站遭入侵）。",
    "meaning.spamhaus.dbl_abused_redirector": "DBL：遭濫用為垃圾郵件轉址的正當網域。",
    "meaning.spamhaus.dbl_abused_phish": "DBL：遭濫用來架設網路釣魚的正當網域。",
    "meaning.spamhaus.dbl_abused_malware": "DBL：遭濫用來散布惡意程式的正當網域。",
    "meaning.spamhaus.dbl_abused_botnet_cc": "DBL：遭濫用於殭屍網路命令與控制的正當網域。",
    "meaning.spamhaus.zrd": "ZRD：新出現的網域（零信譽）；列入會在 24 小時內自動失效。",
    "meaning.spamcop": "SpamCop：依收件者的垃圾郵件檢舉列入；檢舉停止 24 小時後，列入會自動失效。",
    "meaning.barracuda": "Barracuda Reputation：Barracuda 觀察到的寄件信譽不佳。",
    "meaning.uceprotect": "UCEPROTECT 第 1 級：此 IP 本身曾寄信到垃圾郵件陷阱；7 天內未再命中即自動失效。",
    "meaning.psbl": "PSBL：曾寄信到垃圾郵件陷阱；可自行申請移除。",
    "meaning.mailspike": "Mailspike：信譽分數不佳。",
    "meaning.generic": "已列入 {list}。",
    # 無法查詢的原因與對策
    "failure.line": "{zone}：{reason}",
    "error.all_lists": "所有清單",
    "error.timeout": "未及時回應。請重試；若持續發生，請檢查 DNS_NAMESERVERS。",
    "error.servfail": "解析器回報失敗（SERVFAIL）。使用 DQS 金鑰時，這可能代表金鑰已停用。",
    "error.refused": "解析器拒絕查詢。請使用自己的解析器或 Spamhaus DQS 金鑰。",
    "error.open_resolver": "Spamhaus 認定此解析器為公用或來源不明，因而拒絕查詢（127.255.255.254）。"
                           "請設定 SPAMHAUS_DQS_KEY，或將 DNS_NAMESERVERS 指向自己的解析器。",
    "error.rate_limited": "此解析器查詢次數過多（127.255.255.255）。請設定 SPAMHAUS_DQS_KEY 或使用自己的解析器。",
    "error.zone_typo": "清單名稱錯誤（127.255.255.252）；使用 DQS 時請檢查金鑰。",
    "error.dqs_key_disabled": "Spamhaus 表示 DQS 金鑰已停用（127.255.255.250）。"
                              "請在您的 Spamhaus 帳號中續約或更換 SPAMHAUS_DQS_KEY。",
    "error.dqs_key_misused": "Spamhaus 表示 DQS 金鑰的使用方式超出其使用條款（127.255.255.251），"
                             "例如使用的地點超過允許的數量。請檢查您的 Spamhaus 帳號。",
    "error.spamhaus_error": "Spamhaus 回傳了本機器人不認得的錯誤代碼（127.255.255.x）：請視為未完成查詢，並查看記錄檔。",
    "error.unknown_code": "清單回傳了本機器人不認得的回傳碼，"
                          "因此無法判斷這筆列入代表什麼。請到該清單自己的網站查詢此 IP。",
    "error.bad_answer": "回應不是封鎖清單的回傳碼（解析器可能改寫了回應）。",
    "error.no_answer": "清單沒有回傳任何紀錄。",
    "error.self_test_failed": "解析路徑未通過 RFC 5782 測試（127.0.0.2 必須被列入），"
                              "因此「未列入」的結果不可信。請使用 DQS 金鑰或自己的解析器。",
    "error.unsupported": "此清單不支援這類位址。",
    "error.unreachable": "無法連線到任何解析器。請檢查 DNS_NAMESERVERS，並確認本機能連到該解析器的 53 連接埠。",
    "error.test_point_not_listed": "解析路徑隱藏了列入結果（測試點 127.0.0.2 未被列入）。請使用 DQS 金鑰或自己的解析器。",
    "error.test_point_listed": "解析路徑捏造了列入結果（測試點 127.0.0.1 被列入）。請使用不改寫回應的解析器。",
    "error.no_list": "此查詢沒有設定任何清單。",
    "error.unexpected": "發生未預期的錯誤（請查看記錄檔）。",
    # 擁有者
    "owner.organisation": "組織",
    "owner.network": "網段",
    "owner.asn": "AS",
    "owner.country": "國家",
    "owner.abuse": "濫用通報聯絡人",
    "owner.provider_abuse": "上游業者的濫用通報聯絡人",
    "owner.provider": "上游業者",
    "owner.rdns": "反解",
    "owner.registry": "註冊管理機構",
    "owner.rdns_confirmed": "正反解一致",
    "owner.rdns_unconfirmed": "正反解不一致",
    "owner.no_rdns": "無（沒有 PTR 紀錄）",
    "owner.unknown": "擁有者不明：{reason}",
    "owner.error.timeout": "註冊管理機構（RDAP）未及時回應",
    "owner.error.rate_limited": "註冊管理機構（RDAP）限制查詢頻率；請幾分鐘後再試",
    "owner.error.http_error": "註冊管理機構（RDAP）回傳錯誤",
    "owner.error.not_found": "註冊管理機構沒有此位址的紀錄",
    "owner.error.not_public": "此位址不在公開的註冊資料中",
    "owner.error.asn_lookup_failed": "AS 查詢（DNS）失敗",
    "owner.error.unexpected": "查詢失敗（請查看記錄檔）",
    # 歸屬情況
    "case.own_server": "您自己的伺服器",
    "case.third_party_sender": "他人的伺服器寄信給您",
    "case.outbound_relay": "您的郵件經由第三方服務轉送",
    "case.microsoft": "Microsoft 自己的封鎖清單或 Microsoft 的伺服器",
    "case.undetermined": "無法判定：這是您的伺服器嗎？",
    "case.not_yours": "不是您的伺服器",
    "case.reason.microsoft_list": "這是 Microsoft 自己的封鎖清單（{code}），不是 Spamhaus。",
    "case.reason.microsoft_server": "{ip} 是 Exchange Online 自己的寄件伺服器（位於 Microsoft 公布的網段，"
                                    "或反解名稱屬於 outbound.protection.outlook.com）。",
    "case.reason.own_network": "此 IP 位於您的網段 {network}（OWN_NETWORKS）。",
    "case.reason.own_asn": "此 IP 位於您的 AS{asn}（OWN_ASNS）。",
    "case.reason.own_rdns": "此 IP 的反解名稱 {rdns}（正反解一致）屬於您的網域（OWN_DOMAINS）。",
    "case.reason.own_abuse": "此 IP 的濫用通報聯絡人 {abuse} 屬於您的網域（OWN_DOMAINS）。",
    "case.reason.relay_service": "此 IP 屬於郵件轉送服務 {service}。",
    "case.reason.outbound_sender": "寄件網域 {domain} 是您的，但 IP 不是：您的郵件經由他人的伺服器送出。",
    "case.reason.inbound_recipient": "收件網域 {domain} 是您的，而 IP 不是：這是他人的伺服器寄信給您。",
    "case.reason.not_yours": "此 IP 不在您設定的任何網段、AS 編號或網域（OWN_*）中：必須由其擁有者處理。退信看不出這是您經由他們外寄的郵件，還是他們寄給您的郵件。",
    "case.reason.not_yours_relay": "此 IP 不在您設定的任何網段、AS 編號或網域（OWN_*）中，"
                                   "且屬於 {service}。若您的郵件經由 {service} 送出，"
                                   "必須由他們申請移除；退信中沒有您的寄件網域，因此機器人無法判斷。",
    "case.reason.exchange_online_inbound": "保護 Microsoft 365 信箱的 Exchange Online 拒收了這封郵件，"
                                           "且此 IP 不屬於您：這是他人的伺服器寄信給您。",
    "case.reason.relay_direction_unknown": "此 IP 屬於郵件服務 {service}。若您的郵件經由它送出，"
                                           "必須由 {service} 申請移除；若是它寄信給您，"
                                           "那就是他人的伺服器。退信中若有您的寄件網域，"
                                           "或設定了 OWN_DOMAINS，就能判斷是哪一種。",
    "case.reason.unconfigured": "尚未設定 OWN_NETWORKS、OWN_ASNS 或 OWN_DOMAINS，"
                                "因此機器人無法分辨您的伺服器與他人的伺服器。",
    "value.unknown": "不明",
    # 解決步驟
    "fix.receiver_open_resolver": "收件伺服器的 DNS 解析器（{resolver}）被 Spamhaus 拒絕，"
                                  "所以它是因自身設定錯誤而拒收郵件。"
                                  "請通知收件端的郵件管理員改用自己的解析器或 Spamhaus DQS 金鑰。"
                                  "您很可能不需要申請移除。",
    "fix.own.find_cause": "申請移除（{lists}）前，請先找出原因："
                          "遭盜用的郵件帳號或密碼、同一公用 IP（NAT）後方受感染的機器、開放轉送或代理，"
                          "或寄送垃圾郵件的表單或程式。請檢查郵件記錄中是否有寄送量突然暴增。",
    "fix.own.find_cause_unlisted": "此 IP 目前未被列入，但收件端拒收了：請檢查外寄郵件記錄是否有垃圾郵件或遭盜用的帳號，"
                                   "並留意是否有新的列入。",
    # 退信指出的網域（bot/diagnosis/domain_advice.py）
    "fix.domain.own": "{domain} 列於 Spamhaus {list}：收件方是因為您自己的網域而拒收，而不是因為伺服器。"
                      "請找出原因（遭入侵的網站或帳號、以此網域發送垃圾郵件的寄送服務、垃圾郵件中指向它的連結），"
                      "加以制止後，再到 Spamhaus 的網域查詢頁面申請移除。",
    "fix.domain.abused": "{domain} 以「遭濫用的合法網域」列於 Spamhaus {list}：其網站很可能已遭入侵。"
                         "請先清理網站（並更換密碼），再到 Spamhaus 的網域查詢頁面申請移除。",
    "fix.domain.in_message": "{domain} 列於 Spamhaus {list}，但它不是您的寄件網域，而是郵件內容中的網域"
                             "（連結、追蹤或短網址網域）。請將它從郵件中移除後重新寄送；只有該網域的擁有者能申請移除。",
    "fix.domain.zrd": "{domain} 列於 Spamhaus ZRD：它在過去 24 小時內首次出現（新註冊或長期未使用）。"
                      "列入會在首次出現後 24 小時內自動失效，無須申請。在此之前請改用已建立信譽的網域寄送。",
    "fix.domain.not_listed": "{domain} 目前未列於 Spamhaus 網域清單：列入可能已在退信後失效或被移除。"
                             "請重新寄送；若再次被退信，收件方可能使用其他網域清單（SURBL、URIBL）。",
    "fix.domain.unknown": "{domain} 目前無法查詢（見上方）：請到 Spamhaus 的網域查詢頁面查詢。",
    "fix.list.sbl": "SBL {ticket}：只有 IP 的 ISP 或擁有者能透過 SBL 紀錄申請移除。"
                    "請將工單編號提供給您的 ISP；SBL 列入期間，其他移除申請都無法進行。",
    "fix.list.sbl_owner": "SBL {ticket}：必須由 IP 的擁有者（其 ISP）透過 SBL 紀錄與 Spamhaus 處理。",
    "fix.list.css": "CSS：修正原因後，請到 check.spamhaus.org 自行申請移除。",
    "fix.list.css_rdns": "要從 CSS 移除，需要 PTR 紀錄、與其相符的 HELO 名稱，"
                         "以及正反解一致。目前：{rdns}。請先修正這些項目。",
    "fix.list.xbl": "XBL：請清理此 IP 後方的每一台機器（這通常是多台機器共用的 NAT），"
                    "再到 check.spamhaus.org 自行申請移除。",
    "fix.list.xbl_owner": "XBL：此 IP 後方有受感染的機器。"
                          "必須由其擁有者清理該機器，再到 check.spamhaus.org 申請移除。",
    "fix.list.pbl_isp": "原則封鎖清單（PBL，由 ISP 標記）：這不是因垃圾郵件而列入。只有持有此網段的 ISP 能變更："
                        "請向您的供應商申請不在其 PBL 網段內的固定 IP，"
                        "或以 SMTP AUTH 透過其外寄伺服器（smarthost）寄信。",
    "fix.list.css_owner": "CSS：必須由 IP 的擁有者找出原因（通常是遭盜用的帳號或未經同意的大量郵件），再到 check.spamhaus.org 申請移除。",
    "fix.list.spamcop_expires": "{list}：不需申請移除。SpamCop 的列入會在檢舉停止約 24 小時後自動失效："
                                "請停止寄送垃圾郵件並等候即可。",
    "fix.list.uceprotect_expires": "{list}：不需申請移除。UCEPROTECT 第 1 級的列入會在最後一次命中垃圾郵件陷阱 7 天後自動失效："
                                   "請停止寄送垃圾郵件並等候即可（不需要付費的快速移除）。",
    "fix.list.reputation": "{list}：這是信譽分數，不是可以移除的列入。只要此 IP 只寄送收件者想要的郵件，分數就會自行改善。",
    "fix.list.named_unchecked": "退信指明的 {list} 這次無法查詢：請到該清單自己的網頁查詢此 IP。",
    "fix.list.nixspam_dead": "NiX Spam 自 2025 年 1 月起已不再發布任何列入：仍在使用它的收件端是依過時資料拒收。"
                             "請收件端的郵件管理員從設定中移除它。",
    "fix.named.gmail": "Gmail 沒有可申請移除的清單。若退信說此 IP 未獲授權或是動態 IP，"
                       "請透過您供應商的外寄伺服器（smarthost）或設定好 SPF 與 DKIM 的轉送服務寄信；"
                       "Postmaster Tools 只會顯示您的信譽。",
    "fix.named.mimecast": "Mimecast 依其客戶自己的原則與清單拒收：只有收件者的 Mimecast 管理員能放行您。"
                          "請收件者轉請其 IT 人員允許您的位址或網域；下方頁面有此代碼的說明。",
    "fix.named.att": "AT&T 自己的封鎖清單：修正原因後，請將退信轉寄到 abuse_rbl@abuse-att.net，並要求解除封鎖此 IP。",
    "fix.named.yahoo": "Yahoo 的 TSS 代碼是因檢舉而暫緩收信，不是列入：您的伺服器會自動重試。請降低寄送量、只寄送收件者想要的郵件，"
                       "並參考 Yahoo Sender Hub。",
    "fix.list.pbl": "原則封鎖清單（PBL）：這不是懲罰。請透過您供應商的外寄伺服器（smarthost）並使用 SMTP AUTH 寄信；"
                    "只有具正確反解、執行郵件伺服器的固定 IP 才應從 PBL 移除。",
    "fix.list.pbl_owner": "原則封鎖清單（PBL）：擁有者必須透過其供應商的外寄伺服器（smarthost）寄信，"
                          "或申請配有反解的固定 IP 並將其從 PBL 移除（ISP 標記的網段只能由 ISP 處理）。",
    "fix.list.drop": "DROP：整個網段遭劫持或屬於犯罪者。終端使用者無法申請移除：請改用其他供應商的位址。",
    "fix.list.other": "{list}：修正原因後，請到該清單自己的網頁申請移除。",
    "fix.list.named_not_queried": "退信指明的 {list} 不在本機器人的查詢範圍：請到該清單查詢並申請移除。",
    "fix.list.sorbs_dead": "SORBS 已於 2024 年 6 月停止服務：仍在使用它的收件端是依過時資料拒收。"
                           "請收件端的郵件管理員從設定中移除 SORBS。",
    "fix.third.owner_must_delist": "IP {ip} 屬於 {owner}：只有他們能申請移除。濫用通報聯絡人：{abuse}。"
                                   "請將退信與列入資訊轉寄給他們。",
    "fix.third.owner_must_delist_no_abuse": "IP {ip} 屬於 {owner}：只有他們能申請移除。"
                                            "註冊管理機構未提供其濫用通報聯絡人："
                                            "請到對方網站找出聯絡方式，並將退信與列入資訊轉寄給他們。",
    "fix.third.owner_unknown": "只有 {ip} 的持有者能申請移除，但註冊管理機構沒有說明持有者是誰："
                               "請詢問負責路由此 IP 的網路，或到區域註冊管理機構的 whois 查詢。",
    "fix.third.allowlist": "在此期間，若您信任此寄件者，可在您自己的郵件過濾器中將 {ip} 加入允許清單。",
    "fix.relay.contact_service": "您的郵件經由 {service}（{ip}）送出。請附上退信向他們開立工單"
                                 "（濫用通報聯絡人：{abuse}）：必須由他們修正或申請移除其 IP。",
    "fix.relay.contact_service_no_abuse": "您的郵件經由 {service}（{ip}）送出。請附上退信向他們的客服開立工單：必須由他們修正或申請移除其 IP。",
    "fix.relay.change_route": "或改變路由：在該 IP 移除前，改用其他轉送服務或 IP 池寄信。",
    "fix.undetermined.if_yours": "如果 {ip} 是您的伺服器：請先找出原因（遭盜用帳號、受感染機器、開放轉送），"
                                 "再依下列方式申請移除。",
    "fix.undetermined.if_not_yours": "如果不是您的伺服器：必須由擁有者（{owner}，濫用通報聯絡人 {abuse}）申請移除；"
                                     "若您的郵件經由他們轉送，請聯絡他們或改變路由。",
    "fix.undetermined.if_not_yours_no_abuse": "如果不是您的伺服器：必須由其擁有者 {owner} 申請移除（註冊管理機構未提供濫用通報聯絡人）；"
                                              "若您的郵件經由他們轉送，請聯絡他們或改變路由。",
    "fix.undetermined.if_not_yours_unknown": "如果不是您的伺服器：必須由其持有者申請移除（註冊管理機構沒有說明持有者是誰）；"
                                             "若您的郵件經由他們轉送，請聯絡他們或改變路由。",
    "fix.undetermined.configure": "請設定 OWN_NETWORKS、OWN_ASNS 或 OWN_DOMAINS，"
                                  "下次機器人就能分辨您的伺服器與他人的伺服器。",
    "fix.ms.delist_portal": "這是 Microsoft 自己的封鎖清單，不是 Spamhaus：請到 Microsoft 移除入口網站申請移除 {ip}"
                            "（每次申請一個 IP；請在它寄出的電子郵件中完成確認）。",
    "fix.ms.delist_wait": "移除最多需要 24 小時。若 IP 再次被封鎖，請先找出原因。",
    "fix.ms.banned_sender": "寄件者遭封鎖（5.7.511）：移除入口網站無法處理。"
                            "請將退信寄到 {mail}，並要求解除封鎖此寄件者。",
    "fix.ms.customer_block": "收件者的組織在自己的清單中封鎖了您（5.7.513）：請聯絡收件者；Microsoft 無法移除。",
    "fix.ms.tenant": "Microsoft 已停止此租用戶的外寄郵件（{code}）：請檢查是否有遭盜用的帳號或開放轉送，"
                     "再聯絡 Microsoft 365 支援。",
    "fix.ms.account_banned": "Microsoft 因寄送垃圾郵件而封鎖了寄件帳號（{code}）：請先保護帳號（密碼、多重要素驗證、轉寄規則），"
                             "再請 Microsoft 365 支援解除封鎖。",
    "fix.ms.ip_restricted": "Microsoft 暫時限制此租用戶 IP 的郵件（{code}）：會自行解除。請檢查是否有遭盜用的帳號或寄送量突增；"
                            "若持續發生，請聯絡 Microsoft 365 支援。",
    "fix.ms.unregistered_domain": "請在 Microsoft 365 中新增並驗證所有寄件網域（5.7.750）。",
    "fix.ms.throttled": "Microsoft 暫時限速（4.7.5xx/6xx）：會自行解除，您的伺服器會自動重試；不需申請移除。請降低寄送速率。",
    "fix.ms.outlook_form": "Outlook.com 封鎖清單：請透過 Outlook.com 寄件者支援要求解除封鎖 {ip}。",
    "fix.ms.their_ip": "{ip} 是 Microsoft 自己的伺服器：您無法申請移除。請附上退信向 Microsoft 365 支援開立工單；"
                       "必須由 Microsoft 將其移除或改變路由。",
    "fix.could_not_check": "部分清單無法查詢，因此這不代表完全正常：請參閱「無法查詢」並重試，或執行 `python -m bot doctor`。",
    "fix.not_listed_now": "{list} 目前未列入此 IP：列入已失效或已被移除，"
                          "而收件端可能仍快取著舊的結果。請收件端稍後重試。",
    "fix.not_listed": "不需申請移除：{ip} 目前不在任何已查詢的清單中（{lists}）。封鎖可能在退信之後已經失效"
                      "（收件端會快取查詢結果數小時），或來自機器人未查詢的清單。",
    "fix.wait_ttl": "移除不會立即生效：收件端的 DNS 快取可能保留舊結果數小時。",
    "fix.problem.no_ip": "請貼上完整的退信（含 5xx 代碼與 IP 的那一行），或直接輸入 IP。",
    "fix.problem.private": "請找出郵件送出時使用的公用 IP（退信中的 Client host，或您的 NAT 或防火牆），再查詢該 IP。",
    "fix.problem.reserved": "請改查詢您郵件伺服器寄信時使用的公用 IP。",
    "fix.problem.malformed": "請檢查位址：IPv4 位址是以點分隔的四個 0-255 數字。",
    "fix.problem.too_large": "請只貼上退信中的拒收部分（含 5xx 代碼的那幾行），不要貼整封郵件。",
    "fix.problem.binary": "請以文字貼上退信（開啟 .eml 檔或未傳遞報告，複製含錯誤的那幾行）。",
    "fix.problem.empty": "請貼上退信或輸入 IP 位址。",
    "fix.problem.redacted_ip": "請索取含位址的原始退信，或直接輸入寄件伺服器的公用 IP。",
    "fix.problem.domain_listed": "被列入的是網域 {domain}（Spamhaus DBL），不是 IP：網域擁有者必須到 Spamhaus 查詢、"
                                 "找出原因（垃圾連結、網站遭入侵）並申請移除。",
    "fix.problem.not_blocklist": "這封退信與封鎖清單無關（{kind}）：請改為處理該原因。",
    # 內容行
    "context.checked": "查詢時間 {when}，經由 {via}，耗時 {ms} 毫秒",
    "context.dqs": "Spamhaus DQS",
    "context.resolver": "解析器 {resolver}",
    "context.system": "系統預設的解析器",
    "context.parsed_only": "已讀取 {chars} 個字元；未進行查詢",
    # 命令列
    "cli.no_slack": "尚未連接 Slack。若要連接，請設定 SLACK_BOT_TOKEN 與 SLACK_SIGNING_SECRET（HTTP 模式，"
                    "`python -m bot serve`），或 SLACK_BOT_TOKEN 與 SLACK_APP_TOKEN（Socket Mode，"
                    "`python -m bot socket`）：請參閱 README.md 的「Connect Slack」。",
    "cli.demo": "正在診斷範例退信（要診斷您自己的退信，請執行：python -m bot check \"<退信內容或 IP>\"）：",
    "cli.watch.one_ip": "--watch 只追蹤一個 IP 位址：請執行 python -m bot check --watch 192.0.2.1",
    "cli.watch.waiting": "正在追蹤 {ip}：尚無變化；下次查詢時間 {when}（按 Ctrl-C 停止）",
    "cli.watch.changed": "列入狀態已改變：",
    "list.separator": "、",
    "sentences": "{first}{second}",
    "case.line": "{title}。{reason}",
    "doctor.resolver_system": "DNS 查詢送往系統預設的解析器（/etc/resolv.conf）。",
    "doctor.tag.ok": "［正常］",
    "doctor.tag.warn": "［注意］",
    "doctor.tag.fail": "［問題］",
    "doctor.resolver": "DNS 查詢送往 {resolver}。",
    "doctor.dqs_set": "已設定 SPAMHAUS_DQS_KEY：透過 DQS 查詢 Spamhaus。",
    "doctor.dqs_shape": "SPAMHAUS_DQS_KEY 看起來不像 DQS 金鑰（26 個小寫英文字母與數字）。",
    "doctor.dqs_missing": "尚未設定 SPAMHAUS_DQS_KEY：目前使用免費的公用鏡像站，它會拒絕公用與雲端的解析器。正式環境請申請免費的 DQS 金鑰。",
    "doctor.self_test_ok": "{zone}：測試點 127.0.0.2 已列入、127.0.0.1 未列入，因此其回應可信。",
    "doctor.self_test_failed": "{zone}：自我測試失敗：{reason}",
    "doctor.rdap_ok": "RDAP 有回應：{detail}。",
    "doctor.rdap_failed": "RDAP 沒有回應（{detail}）：在它回應之前，擁有者都會顯示為不明。",
    "doctor.store_ok": "狀態儲存區運作正常：{kind}，位於 {where}（監看、單次回覆檢查、共用查詢結果）。",
    "doctor.store_failed": ("位於 {where} 的狀態儲存區無法運作（{detail}）：Slack 機器人將在沒有監看功能的情況下執行，"
                             "且重新啟動後 Slack 的重送可能會被回覆兩次。"),
    "doctor.slack_http": "已設定 Slack HTTP 模式：請執行 `python -m bot serve`。",
    "doctor.slack_socket": "已設定 Slack Socket Mode：請執行 `python -m bot socket`。",
    "doctor.slack_half": "已設定 SLACK_BOT_TOKEN，但缺少 {missing}（HTTP 模式）或 {or_missing}（Socket Mode）。",
    "doctor.slack_no_bot": "缺少 {missing}：兩種 Slack 模式都需要 Bot User OAuth Token（xoxb-）。",
    "doctor.slack_none": "尚未設定 Slack：請設定 SLACK_BOT_TOKEN 與 SLACK_SIGNING_SECRET（HTTP 模式），或 SLACK_BOT_TOKEN 與 SLACK_APP_TOKEN（Socket Mode）。",
    "doctor.slack_user_token": "SLACK_BOT_TOKEN 填的是使用者權杖（xoxp-）：請改用應用程式的 Bot User OAuth Token（xoxb-）。",
    "doctor.slack_app_token_as_bot": "SLACK_BOT_TOKEN 填的是應用程式層級權杖（xapp-）：它應放在 SLACK_APP_TOKEN，SLACK_BOT_TOKEN 則填 Bot User OAuth Token（xoxb-）。",
    "doctor.slack_bot_shape": "SLACK_BOT_TOKEN 看起來不像 Bot User OAuth Token（xoxb-）。",
    "doctor.slack_app_shape": "SLACK_APP_TOKEN 看起來不像應用程式層級權杖（xapp-）。",
    "tag.listed": "［已列入］",
    "tag.blocked": "［遭封鎖］",
    "tag.not_listed": "［未列入］",
    "tag.unknown": "［無法查詢］",
    "tag.problem": "［！］",
    "extract.blocklist": "封鎖清單：{name}",
    "extract.candidates": "文字中的位址：",
}
