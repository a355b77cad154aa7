"""Slack 介面專用的繁體中文（台灣）字串：說明、進度、按鈕、App Home、錯誤訊息。

與 slack_en.py 的鍵與佔位符完全相同（tests/test_i18n.py 會檢查）。
"""

MESSAGES: dict[str, str] = {
    # 說明
    "slack.help": (
        "*Bounce Doctor* 會讀取退信，找出被封鎖的 IP 位址，立即到 Spamhaus 與其他封鎖清單查詢，"
        "並告訴您這個 IP 屬於誰、該如何申請移除。\n"
        "• `/spamhaus 203.0.113.5`：查詢單一 IP 位址\n"
        "• `/spamhaus` 後面貼上退信內容：從退信中找出被封鎖的 IP 並查詢\n"
        "• 在我所在的頻道貼上退信：我會在該訊息的討論串中回覆\n"
        "• 提及我並附上退信或 IP：我會在討論串中回覆\n"
        "• 將退信檔案（`.eml` 或 `.txt`）拖放到我所在的頻道、將退信轉發到該頻道，或寄到該頻道的電子郵件地址："
        "我會在討論串中回覆\n"
        "• 訊息捷徑 *Diagnose bounce*（任一訊息的 ⋮ 選單）：檢查該則訊息\n"
        "• 在列入的查詢結果下方點選 *解除列入時通知我*：列入狀態改變時我會在討論串中通知您；"
        "`/spamhaus watches` 列出此頻道的監看項目\n"
        "• `/spamhaus help`：顯示此說明"
    ),
    # 進度
    "slack.command.ack": "查詢中…結果會張貼在此頻道。",
    "slack.checking.ip": ":hourglass_flowing_sand: 正在向封鎖清單與網路註冊管理機構查詢 {ip}…",
    "slack.checking.text": ":hourglass_flowing_sand: 正在讀取退信並查詢封鎖清單…",
    "slack.summary.details": "判斷依據、IP 擁有者與解決步驟都在討論串中。",
    # 失敗
    "slack.apology": ":warning: 抱歉，查詢時發生錯誤。請稍後再試；若持續失敗，請將此參考編號提供給機器人的管理者：{ref}",
    "slack.not_in_channel": "我不是此頻道的成員，所以只有您看得到這則回覆。"
                            "請用 `/invite` 邀請我加入，就能在討論串中收到回覆。",
    "slack.shortcut.no_text": "這則訊息沒有我能讀取的文字或退信檔案。請直接貼上退信的文字內容，"
                              "或以 `.eml` 或 `.txt` 檔案附上退信。",
    # 分享的檔案（bot/slack/files.py）：{names} 為檔名
    "slack.file.no_access": "我無法開啟 {names}：Slack 不允許我讀取這個檔案。機器人的管理者可能需要加入 "
                            "`files:read` 權限範圍並重新安裝應用程式。請改為直接貼上退信的文字內容。",
    "slack.file.elsewhere": "我沒有開啟 {names}：這個檔案不在 Slack 的檔案伺服器上，而我不會把存取權杖傳送到其他地方。"
                            "請改為直接貼上退信的文字內容。",
    "slack.file.failed": "目前無法從 Slack 下載 {names}。請稍後再試，或直接貼上退信的文字內容。",
    "slack.file.nothing": "我讀取了 {names}，但沒有找到被封鎖的 IP 位址、封鎖清單或拒收代碼。",
    # 訊息版面
    "slack.button.recheck": "立即重新查詢",
    "slack.button.lookup": "開啟 Spamhaus 查詢頁面",
    "slack.link.details": "詳細資訊（{host}）",
    "slack.link.open": "開啟（{host}）",
    "slack.several": "這封退信指出 {count} 個 IP 位址：",
    "slack.truncated": "…另有 {count} 項未顯示：Slack 限制了訊息的大小。下方的 Spamhaus 查詢頁面列出此 IP 的所有列入。",
    # App Home
    "slack.home.title": "Bounce Doctor",
    "slack.home.intro": "當郵件因寄件 IP 被列入封鎖清單而遭退回時，我會告訴您是哪個 IP、封鎖清單目前的狀態、"
                        "IP 屬於誰、該由誰處理，以及如何解決。",
    "slack.home.usage.title": "使用方式",
    "slack.home.example.title": "試試看",
    "slack.home.example": "`/spamhaus 550 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using "
                          "zen.spamhaus.org`",
    "slack.home.privacy": "我只會讀取看起來像封鎖清單拒收的訊息、提及我的訊息，以及您傳給我的內容，"
                          "也包括分享在我所在之處的退信檔案（`.eml`、`.txt`）。"
                          "查詢對象為 DNS 封鎖清單與網路註冊管理機構（RDAP）。",
    "slack.home.language": "我會依照您的 Slack 語言設定回覆：English 或繁體中文（台灣）。",
    # Limits (bot/slack/limits.py)
    "slack.limited.user": ":raised_hand: 您在過去一分鐘內要求了許多次查詢，請稍候一分鐘再試：每次查詢都會詢問封鎖清單，而封鎖清單限制了查詢的頻率。",
    "slack.limited.channel": ":raised_hand: 此頻道在過去一分鐘內要求了許多次查詢，請稍候一分鐘再試：每次查詢都會詢問封鎖清單，而封鎖清單限制了查詢的頻率。",
    "slack.busy": ":hourglass_flowing_sand: 我正忙於其他查詢；您的查詢已排入佇列，會在有查詢完成後立即開始。",
    # 監看（bot/slack/watches.py、bot/render/home.py）
    "slack.button.watch": "解除列入時通知我",
    "slack.button.stop": "停止",
    "slack.watch.started": ":eyes: 我會依排程再次查詢 {ip}，並在列入狀態改變時於此討論串中提及您。"
                           "第一次查詢時間：{next}。當它不再列於任何清單、您要求停止（`/spamhaus watches`），"
                           "或經過 {days} 天後，我就會停止。",
    "slack.watch.already": "您已經在此討論串中監看 {ip}。",
    "slack.watch.not_listed": "{ip} 目前未列於任何清單：沒有需要監看的項目。",
    "slack.watch.unavailable": "監看功能需要機器人的狀態儲存區，但目前無法使用。請稍後再試。",
    "slack.watch.cleared": "{mention} :white_check_mark: {ip} 目前已不在任何清單中。監看結束。",
    "slack.watch.changed": "{mention} :bell: {ip} 的列入狀態已改變。",
    "slack.watch.removed": "已解除列入：{lists}。",
    "slack.watch.added": "新列入：{lists}。",
    "slack.watch.stopped": "已停止監看 {ip}。",
    "slack.watch.gone": "這項監看已經結束。",
    "slack.watches.title": "此頻道的監看項目",
    "slack.watches.none": "此頻道沒有監看項目。在列入的查詢結果下方點選 *解除列入時通知我* 即可開始監看。",
    "slack.watches.line": "{ip}，由 {user} 監看，開始於 {since}；下次查詢 {next}；截止 {until}",
    "slack.watches.in": "於 {channel}",
    "slack.watches.more": "…另有 {count} 項。",
    "slack.status.listed": "已列入",
    "slack.status.not_listed": "未列入",
    "slack.status.unknown": "無法查詢",
    "slack.status.blocked": "遭收件方封鎖",
    # App Home：設定狀態、最近查詢、監看項目
    "slack.home.health.title": "設定狀態",
    "slack.home.health.resolver.ok": "DNS 解析器：Spamhaus 測試點回應正確。",
    "slack.home.health.resolver.failing": "DNS 解析器：Spamhaus 測試點失敗，因此「未列入」的結果不可信（是否使用了公共解析器？）。"
                                          "詳情請見記錄檔。",
    "slack.home.health.resolver.unknown": "DNS 解析器：尚未測試。",
    "slack.home.health.dqs.on": "Spamhaus DQS 金鑰：已設定（即時資料；也會查詢 ZRD）。",
    "slack.home.health.dqs.off": "Spamhaus DQS 金鑰：未設定（使用公共鏡像；不查詢 ZRD）。",
    "slack.home.health.rdap.ok": "網路註冊管理機構（RDAP）：正常回應；最近一次查到擁有者於 {when}。",
    "slack.home.health.rdap.failing": "網路註冊管理機構（RDAP）：最近一次查詢失敗（{reason}），於 {when}。",
    "slack.home.health.rdap.unknown": "網路註冊管理機構（RDAP）：尚未查詢。",
    "slack.home.health.store": "狀態儲存：{kind}，{state}。",
    "slack.home.health.store.ok": "運作正常",
    "slack.home.health.store.failing": "無法連線（監看與單次回覆檢查暫停）",
    "slack.home.health.store.none": "狀態儲存：僅存於記憶體（無監看功能）。",
    "slack.home.store.sqlite": "SQLite 檔案",
    "slack.home.store.redis": "Redis（所有執行個體共用）",
    "slack.home.recent.title": "最近查詢",
    "slack.home.recent.none": "尚無查詢紀錄。",
    "slack.home.recent.line": "{ip}：{status}{lists}（{when}）",
    "slack.home.watches.title": "進行中的監看",
    "slack.home.watches.none": "沒有進行中的監看。",
}
