-- Runs the README's Neovim snippet as a user would paste it into init.lua (Neovim 0.7+), headless:
-- the first ```lua block of ENTENTE_README, with `entente-language-server` on PATH and
-- ~/Zotero/library.bib in HOME (test/editors/run.mjs prepares both). Then opens paper.md of
-- ENTENTE_WORKSPACE and checks that the snippet's server attached, that its `settings` reached the
-- server (glossary.firstUse = 'warning') and its `init_options` too (the Zotero library completes).
-- Prints one JSON line of results and exits 0 when every check passed, 1 otherwise.
local readme = assert(os.getenv('ENTENTE_README'), 'ENTENTE_README is not set')
local root = assert(os.getenv('ENTENTE_WORKSPACE'), 'ENTENTE_WORKSPACE is not set')
local timeout = 15000
local report = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/report.lua')
local check = report.check

local ok, err = pcall(function()
  local text = table.concat(vim.fn.readfile(readme), '\n')
  local snippet = text:match('```lua\n(.-)\n```')
  check("the README has a Neovim snippet (a ```lua block)", snippet ~= nil)
  local chunk, load_error = loadstring(snippet or '', 'README.md snippet')
  check('the snippet is valid Lua', chunk ~= nil, tostring(load_error))
  chunk()

  vim.cmd('cd ' .. vim.fn.fnameescape(root))
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/paper.md'))
  local bufnr = vim.api.nvim_get_current_buf()
  -- -u NONE turns filetype detection off: setting the filetype fires the snippet's FileType autocommand.
  vim.bo[bufnr].filetype = 'markdown'
  local client
  vim.wait(timeout, function()
    client = vim.lsp.get_active_clients()[1]
    return client ~= nil and client.initialized
  end, 20)
  check('the snippet starts entente-language-server and attaches it to a Markdown buffer', client ~= nil and client.name == 'entente' and vim.lsp.buf_is_attached(bufnr, client.id))
  if not client then return end

  local first_use
  vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'glossary.first-use' and d.severity == vim.diagnostic.severity.WARN then first_use = d end
    end
    return first_use ~= nil
  end, 20)
  check("the snippet's settings reach the server: the first use of VJTF is a warning", first_use ~= nil, vim.inspect(vim.tbl_map(function(d) return d.code .. ' ' .. d.severity end, vim.diagnostic.get(bufnr))))

  local items = report.complete_at_end(bufnr, client.id, 'See [@zotero2024', timeout)
  check("the snippet's init_options reach the server: ~/Zotero/library.bib completes", items[1] and items[1].label == 'zotero2024library', tostring(items[1] and items[1].label) .. ' of ' .. #items)
end)
if not ok then check('the snippet ran', false, tostring(err)) end
report.finish()
